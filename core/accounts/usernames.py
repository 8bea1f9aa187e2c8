"""How usernames are told apart: by their Unicode case fold after NFKC ("Ärger", "ärger" and
"ÄRGER" in full-width letters are one name on every database), and which names are refused as
lookalikes (a Latin name with a Cyrillic o, U+043E, in it)."""

import unicodedata

from confusable_homoglyphs import confusables
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible


def username_key(username: str) -> str:
    """The form two usernames are compared in: NFKC, case-folded, NFKC again (folding can undo
    a normalization)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


@deconstructible
class NoMixedScriptConfusablesValidator:
    """Refuses a name that mixes scripts and holds a letter that looks like one of another
    script in it: such a name can only pass for someone else's ("bob" with a Cyrillic o)."""

    message = (
        "This username mixes letters of different scripts that look alike; "
        "use letters of one script."
    )

    def __call__(self, value: str) -> None:
        if confusables.is_mixed_script(value) and confusables.is_confusable(
            value, greedy=False, preferred_aliases=[]
        ):
            raise ValidationError(self.message, code="confusable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoMixedScriptConfusablesValidator)


validate_not_confusable = NoMixedScriptConfusablesValidator()
