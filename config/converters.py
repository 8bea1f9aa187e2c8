"""Path converters of the API's URLs, registered when the URL modules import this one."""

from django.urls import register_converter

from config.ints import parse_int


class IdConverter:
    """A database id: ASCII digits within 64 bits. Anything else does not match the URL, so a
    lookup never sees a number no id column holds, and the answer is a 404."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_int(value)
        if number is None:
            raise ValueError(value)  # the URL resolver then tries the next pattern: a 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
