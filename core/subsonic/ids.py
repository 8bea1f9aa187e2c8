"""Subsonic ids: songs by their number, albums and artists prefixed, since getMusicDirectory and
getCoverArt take any of them in one parameter."""

from config.ints import INT64_MAX
from core.subsonic.envelope import SubsonicError

ALBUM = "al-"
ARTIST = "ar-"
TRACK = "tr-"


def album_id(pk: int) -> str:
    return f"{ALBUM}{pk}"


def artist_id(pk: int) -> str:
    return f"{ARTIST}{pk}"


def _number(raw: str) -> int:
    if raw.isdigit() and 0 < int(raw) <= INT64_MAX:
        return int(raw)
    raise SubsonicError(SubsonicError.NOT_FOUND, "Not found.")


def parse(raw: str) -> tuple[str, int]:
    """("album" | "artist" | "track", number) of an id; unknown shapes are not found (70)."""
    raw = raw.strip()
    for prefix, kind in ((ALBUM, "album"), (ARTIST, "artist"), (TRACK, "track")):
        if raw.startswith(prefix):
            return kind, _number(raw[len(prefix) :])
    return "track", _number(raw)


def parse_kind(raw: str, kind: str) -> int:
    """The number of an id that must be of `kind` (a bare number is accepted too)."""
    found, number = parse(raw)
    if found != kind and not raw.strip().isdigit():
        raise SubsonicError(SubsonicError.NOT_FOUND, f"{kind.capitalize()} not found.")
    return number
