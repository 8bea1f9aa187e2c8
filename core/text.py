"""One policy for the text people read: names, titles, nicknames, descriptions, bios and file
names, whether typed into the API or the admin, or read from an uploaded file's tags.

Refused everywhere: control characters, lone surrogates, Unicode's bidirectional controls
(the overrides, embeddings and isolates that make "gpj.exe" display as "exe.jpg", and the
direction marks) and invisible format characters. Kept: the zero-width joiner and non-joiner,
which emoji sequences and several scripts need, and the tag characters of flag emoji. Names
also refuse line breaks and tabs; descriptions and bios keep them.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Unicode's Bidi_Control property.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_JOINERS = frozenset("\u200c\u200d")
_TAGS = range(0xE0020, 0xE0080)
_LINE_BREAKS = frozenset("\n\r\t\u2028\u2029")


def is_refused(char: str, *, multiline: bool = False) -> bool:
    """Whether the policy refuses this one character."""
    if char in _LINE_BREAKS:
        return not multiline
    if char in BIDI_CONTROLS:
        return True
    category = unicodedata.category(char)
    if category == "Cf":
        return char not in _JOINERS and ord(char) not in _TAGS
    return category in ("Cc", "Cs", "Zl", "Zp")


def refused_characters(value: str, *, multiline: bool = False) -> list[str]:
    """The characters of `value` the policy refuses, each once, in order."""
    return list(dict.fromkeys(ch for ch in value if is_refused(ch, multiline=multiline)))


def clean(value: str, *, multiline: bool = False) -> str:
    """`value` without the characters the policy refuses, for text nobody typed (file tags)."""
    return "".join(ch for ch in value if not is_refused(ch, multiline=multiline))


@deconstructible
class TextPolicyValidator:
    """Django validator (models, forms, DRF fields) applying the policy to one field."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: str) -> None:
        refused = refused_characters(value, multiline=self.multiline)
        if refused:
            points = ", ".join(f"U+{ord(ch):04X}" for ch in refused)
            raise ValidationError(
                "Control, bidirectional and invisible formatting characters are not allowed"
                f"{'' if self.multiline else ', nor line breaks'} ({points}).",
                code="forbidden_characters",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextPolicyValidator) and other.multiline == self.multiline


validate_name = TextPolicyValidator()
"""For one-line text: names, titles, nicknames, file names."""

validate_text = TextPolicyValidator(multiline=True)
"""For text that may run over lines: descriptions and bios."""
