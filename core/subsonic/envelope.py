"""The `subsonic-response` envelope in XML (the default), JSON or JSONP.

Payloads are plain dicts: a scalar value is an XML attribute (a JSON member), a dict a child
element, a list repeated child elements (of scalars: elements holding text), a TextElement an
element holding its text (a plain string in JSON), and the key "value" an element's text
(OpenSubsonic's JSON spelling). None is left out.
"""

import json
import re
from datetime import UTC, datetime
from typing import Any

from django.http import HttpResponse

API_VERSION = "1.16.1"
SERVER_TYPE = "tonearm"
SERVER_VERSION = "1.0.0"
NAMESPACE = "http://subsonic.org/restapi"
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,99}$")


class SubsonicError(Exception):
    """An error the envelope carries, with the spec's code."""

    MISSING_PARAMETER = 10
    CLIENT_TOO_OLD = 20
    WRONG_CREDENTIALS = 40
    TOKEN_NOT_SUPPORTED = 41
    AUTH_NOT_SUPPORTED = 42
    CONFLICTING_AUTH = 43
    INVALID_API_KEY = 44
    NOT_AUTHORIZED = 50
    NOT_FOUND = 70
    GENERIC = 0

    def __init__(self, code: int, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.retry_after = retry_after


class TextElement(str):
    """A string the spec writes in XML as a child element holding it, not as an attribute
    (artistInfo's biography and image URLs); in JSON a plain member."""


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def iso(value: datetime) -> str:
    """A time as the spec writes it: ISO 8601 in UTC with milliseconds."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# What XML escapes in text, and in attribute values (as ElementTree writes them).
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\r": "&#13;",
        "\n": "&#10;",
        "\t": "&#09;",
    }
)


def _write(out: list[str], tag: str, payload: dict[str, Any]) -> None:
    """`payload` as the element `tag`, appended to `out` as text: the bytes ElementTree would
    write, without building a tree first (getArtists holds an element per artist, 10^5 of them:
    the tree and its serialization took most of the answer's time; docs/benchmarks.md).
    tests/subsonic/test_envelope_xml.py holds it to ElementTree's output."""
    attributes, text, children = [], "", []
    for key, value in payload.items():
        if value is None:
            continue
        if key == "value":
            text = _text(value)
        elif isinstance(value, TextElement):
            children.append((key, None, value))
        elif isinstance(value, dict):
            children.append((key, value, None))
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    children.append((key, item, None))
                else:
                    children.append((key, None, _text(item)))
        else:
            attributes.append(f' {key}="{_text(value).translate(_ATTRIBUTE_ESCAPES)}"')
    out.append(f"<{tag}{''.join(attributes)}")
    if not text and not children:
        out.append(" />")
        return
    out.append(">")
    out.append(text.translate(_TEXT_ESCAPES))
    for key, child, child_text in children:
        if child is not None:
            _write(out, key, child)
        elif child_text:
            out.append(f"<{key}>{child_text.translate(_TEXT_ESCAPES)}</{key}>")
        else:
            out.append(f"<{key} />")
    out.append(f"</{tag}>")


def xml_document(body: dict[str, Any]) -> str:
    """The `subsonic-response` element of `body` in the spec's namespace, as text."""
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>']
    _write(out, "subsonic-response", {"xmlns": NAMESPACE, **body})
    return "".join(out)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return iso(value)
    return value


def envelope(payload: dict[str, Any] | None, *, error: SubsonicError | None = None) -> dict:
    body: dict[str, Any] = {
        "status": "failed" if error else "ok",
        "version": API_VERSION,
        "type": SERVER_TYPE,
        "serverVersion": SERVER_VERSION,
        "openSubsonic": True,
    }
    if error is not None:
        body["error"] = {"code": error.code, "message": error.message}
    elif payload:
        body.update(payload)
    return body


def written_as(fmt: str) -> str:
    """What `render` writes for `fmt`: "json" (JSONP included) or "xml"."""
    return "json" if fmt in ("json", "jsonp") else "xml"


# JSON as `render` writes it, one encoder for every item written apart.
_JSON = json.JSONEncoder(separators=(",", ":"))

# A list item standing for items written apart (`item_text`) and joined into the answer
# (`around_hole`): a private-use character, which no constant of an answer holds.
HOLE = "\ue000"
SEPARATORS = {"json": ",", "xml": ""}


def item_text(kind: str, tag: str, payload: dict[str, Any]) -> str:
    """`payload` as one item of a list under `tag`, as `render` writes it in `kind`: so that
    items written once can be joined into many answers (getArtists, getIndexes)."""
    if kind == "json":
        return _JSON.encode(_jsonable(payload))
    out: list[str] = []
    _write(out, tag, payload)
    return "".join(out)


def around_hole(text: str, kind: str, tag: str) -> tuple[str, str]:
    """What `text`, written with HOLE as the only item of a list under `tag`, holds before and
    after that list's items: the items written apart, joined by SEPARATORS[kind], go between."""
    hole = _JSON.encode(HOLE) if kind == "json" else f"<{tag}>{HOLE}</{tag}>"
    head, found, tail = text.partition(hole)
    if not found or hole in tail:
        raise ValueError(f"No single hole under {tag!r}")
    return head, tail


def render(fmt: str, callback: str, payload: dict | None, *, error=None) -> HttpResponse:
    """The answer in `fmt` ("xml", "json" or "jsonp"); always HTTP 200, errors included."""
    body = envelope(payload, error=error)
    if fmt == "json" or (fmt == "jsonp" and not _CALLBACK.match(callback or "")):
        content = json.dumps({"subsonic-response": _jsonable(body)}, separators=(",", ":"))
        response = HttpResponse(content, content_type="application/json")
    elif fmt == "jsonp":
        content = json.dumps({"subsonic-response": _jsonable(body)}, separators=(",", ":"))
        response = HttpResponse(f"{callback}({content});", content_type="text/javascript")
    else:
        response = HttpResponse(xml_document(body), content_type="text/xml; charset=utf-8")
    if error is not None and error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response
