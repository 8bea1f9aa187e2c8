"""A Subsonic call's parameters: the query string and a POST form together (the formPost
extension), repeated names kept, booleans read case-insensitively."""

from django.http import HttpRequest, QueryDict

from config.ints import INT64_MAX
from core.subsonic.envelope import SubsonicError

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


class Params:
    def __init__(self, request: HttpRequest):
        merged = QueryDict(mutable=True)
        for source in (request.GET, request.POST):
            for key in source:
                merged.setlist(key, merged.getlist(key) + source.getlist(key))
        self._data = merged

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self._data.getlist(name)
        return values[0] if values else default

    def require(self, name: str) -> str:
        value = self.get(name)
        if value is None or value == "":
            raise SubsonicError(
                SubsonicError.MISSING_PARAMETER, f"Required parameter is missing: {name}"
            )
        return value

    def get_list(self, name: str) -> list[str]:
        return [value for value in self._data.getlist(name) if value != ""]

    def get_int(
        self, name: str, default: int | None = None, *, minimum: int = 0, maximum: int = INT64_MAX
    ) -> int | None:
        raw = self.get(name)
        if raw is None or raw == "":
            return default
        return parse_int(raw, name, minimum=minimum, maximum=maximum)

    def get_bool(self, name: str, default: bool | None = None) -> bool | None:
        raw = self.get(name)
        if raw is None or raw == "":
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise SubsonicError(SubsonicError.GENERIC, f"Parameter {name} must be true or false.")


def parse_int(raw: str, name: str, *, minimum: int = 0, maximum: int = INT64_MAX) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise SubsonicError(SubsonicError.GENERIC, f"Parameter {name} must be a number.") from None
    if not minimum <= value <= maximum:
        raise SubsonicError(
            SubsonicError.GENERIC, f"Parameter {name} must be between {minimum} and {maximum}."
        )
    return value
