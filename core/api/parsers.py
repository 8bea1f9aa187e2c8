"""The JSON parser every API view uses: bounded in size and depth, and no control characters
in text.

DRF's own JSONParser reads the raw request stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE,
lets a NUL byte through to PostgreSQL, which refuses it with a server error, and lets a body
nested thousands deep raise RecursionError (another server error) in json itself or in
whatever walks the data afterwards.
"""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError

from config.ints import parse_int

# C0 controls but tab, line feed and carriage return; fields that must stay on one line
# refuse those too, in their serializers.
_FORBIDDEN = {chr(code) for code in range(0x20)} - {"\t", "\n", "\r"} | {"\x7f"}


_MESSAGE = "Control characters are not allowed."
# The deepest body the API reads is 3 levels (a list of objects in an object); anything much
# deeper is not a request, and each level costs a stack frame in every walk of the data.
MAX_JSON_DEPTH = 32
_TOO_DEEP = f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep."


def _nested_deeper_than(data: Any, limit: int) -> bool:
    """Whether lists and objects in `data` nest more than `limit` levels (no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


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
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_TOO_DEEP) from None
        if _nested_deeper_than(data, MAX_JSON_DEPTH):
            raise ParseError(_TOO_DEEP)
        errors = control_character_errors(data)
        if errors:
            raise serializers.ValidationError(errors)
        return data
