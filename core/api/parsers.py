"""The JSON parser every API view uses: bounded in size, and no control characters in text.

DRF's own JSONParser reads the raw request stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE,
and lets a NUL byte through to PostgreSQL, which refuses it with a server error.
"""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import parsers, serializers

from config.ints import parse_int

# C0 controls but tab, line feed and carriage return; fields that must stay on one line
# refuse those too, in their serializers.
_FORBIDDEN = {chr(code) for code in range(0x20)} - {"\t", "\n", "\r"} | {"\x7f"}


_MESSAGE = "Control characters are not allowed."


def _paths_with_control_characters(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple]:
    if isinstance(value, str):
        if _FORBIDDEN.intersection(value):
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if _FORBIDDEN.intersection(key):
                yield path
            else:
                yield from _paths_with_control_characters(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths_with_control_characters(item, (*path, str(index)))


def control_character_errors(data: Any) -> dict[str, list[str]]:
    """Per top-level field, where its text holds a control character."""
    errors: dict[str, list[str]] = {}
    for path in _paths_with_control_characters(data):
        field, where = (path[0], ".".join(path[1:])) if path else ("non_field_errors", "")
        errors.setdefault(field, []).append(f"{where}: {_MESSAGE}" if where else _MESSAGE)
    return errors


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        if limit is not None and request is not None:
            # An unreadable length counts as none, as in Django's own request.
            length = parse_int(request.META.get("CONTENT_LENGTH")) or 0
            if length > limit:
                raise RequestDataTooBig("The request body is too large.")
        data = super().parse(stream, media_type, parser_context)
        errors = control_character_errors(data)
        if errors:
            raise serializers.ValidationError(errors)
        return data
