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
from xml.etree.ElementTree import Element, SubElement, tostring

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


def _fill(element: Element, payload: dict[str, Any]) -> None:
    for key, value in payload.items():
        if value is None:
            continue
        if key == "value":
            element.text = _text(value)
        elif isinstance(value, TextElement):
            SubElement(element, key).text = value
        elif isinstance(value, dict):
            _fill(SubElement(element, key), value)
        elif isinstance(value, list):
            for item in value:
                child = SubElement(element, key)
                if isinstance(item, dict):
                    _fill(child, item)
                else:
                    child.text = _text(item)
        else:
            element.set(key, _text(value))


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
        root = Element("subsonic-response", xmlns=NAMESPACE)
        _fill(root, body)
        content = tostring(root, encoding="unicode", xml_declaration=False)
        response = HttpResponse(
            '<?xml version="1.0" encoding="UTF-8"?>' + content,
            content_type="text/xml; charset=utf-8",
        )
    if error is not None and error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response
