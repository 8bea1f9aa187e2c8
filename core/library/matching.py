"""The normalised names that identify a listen heard elsewhere and match it to the catalog:
case, accents, "feat." credits, and remaster, live and similar version suffixes set aside."""

import re
import unicodedata
from functools import lru_cache

KEY_LENGTH = 200

_FEATURING = re.compile(
    r"\s*[\(\[]\s*(?:feat|ft|featuring|with)\.?\s[^\)\]]*[\)\]]"  # (feat. X), [ft X], (with X)
    r"|\s+(?:feat|ft|featuring)\.?\s.*$",  # trailing " feat. X"
    re.IGNORECASE,
)
_VERSION_WORDS = r"(?:remaster(?:ed)?|live|mono|stereo|single|radio edit|album version|deluxe)"
_VERSION = re.compile(
    rf"\s*[\(\[][^\)\]]*\b{_VERSION_WORDS}\b[^\)\]]*[\)\]]"  # (Remastered 2009), [Live at X]
    rf"|\s+-\s+[^-]*\b{_VERSION_WORDS}\b.*$",  # " - 2011 Remaster", " - Live"
    re.IGNORECASE,
)
_PUNCTUATION = re.compile(r"[^\w]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_PUNCTUATION.sub(" ", bare.casefold()).split())[:KEY_LENGTH]


# Imports and scrobbles name the same artists and titles over and over.
@lru_cache(maxsize=65536)
def artist_key(name: str) -> str:
    """The artist as matched: the main credit only, folded."""
    return _fold(_FEATURING.sub("", name)) or _fold(name)


@lru_cache(maxsize=65536)
def title_key(title: str) -> str:
    """The title as matched: without credits and version suffixes, folded."""
    stripped = _VERSION.sub("", _FEATURING.sub("", title))
    return _fold(stripped) or _fold(title)


def album_key(title: str) -> str:
    return title_key(title) if title else ""
