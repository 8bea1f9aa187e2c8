"""The one reader of integers that arrive in a request: query parameters, path ids, cursors,
headers.

Python's int() takes any Unicode digit ("²" passes isdigit() and then fails), any length
(thousands of digits are a ValueError, or a number no database column holds), and signs and
spaces. Every integer from a client goes through parse_int() instead, which knows only ASCII
digits and a 64-bit range. Dependency-free, so that media_pipeline's storage views use it
without importing core.
"""

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
# Enough for any 64-bit value with a sign and a few leading zeros; longer is never a number.
_MAX_LENGTH = 24


def parse_int(raw: str | None, *, minimum: int = 0, maximum: int = INT64_MAX) -> int | None:
    """The integer `raw` writes in ASCII digits (a leading "-" when `minimum` is negative),
    or None when it writes none or one outside [minimum, maximum]."""
    if raw is None or not 0 < len(raw) <= _MAX_LENGTH:
        return None
    digits = raw[1:] if raw[0] == "-" and minimum < 0 else raw
    if not (digits.isascii() and digits.isdigit()):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None
