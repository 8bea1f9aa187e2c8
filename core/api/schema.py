"""OpenAPI pieces shared by every view: the error body and the responses that carry it."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

_DESCRIPTIONS = {
    400: "Invalid input; `fields` names each offending field.",
    401: "Authentication credentials were not provided or are invalid.",
    403: "You do not have permission to perform this action.",
    404: "Not found, or not visible to you.",
    409: "Conflict with the current state (for example a stale snapshot_id).",
    413: "Request body too large.",
    429: "Too many requests; retry after the time in the Retry-After header.",
    503: "A dependency (object storage, database) is unavailable; retry later.",
}


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable error code, e.g. `not_found`.")
    detail = serializers.CharField(help_text="Human-readable explanation.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Per-field messages for invalid input.",
    )


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """`responses={200: X, **error_responses(400, 404)}` documents the error body per status."""
    return {
        status: OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS.get(status, "Error."))
        for status in statuses
    }


NOT_MODIFIED = {
    304: OpenApiResponse(
        description="Not modified: the ETag sent in If-None-Match is still the page's (no body)."
    )
}


def _error_response(status: int) -> dict:
    return {
        "description": _DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _name_sort_keys(schema: dict) -> None:
    """Generated clients name enum members after their values; `-title` would become
    `VALUE_1`, so descending keys get readable names (`TITLE_DESC`)."""
    values = schema.get("enum") or []
    if any(isinstance(v, str) and v.startswith("-") for v in values):
        schema["x-enum-varnames"] = [
            f"{v[1:].upper()}_DESC" if v.startswith("-") else v.upper() for v in values
        ]


def postprocess_schema(result: dict, generator, request, public) -> dict:
    """What every operation shares, written once: a page number past the end is a 404 on every
    paginated list; sort keys have readable enum names; a choice of payloads without a
    discriminator (the track payloads, one a superset of the other) is `anyOf`, since a payload
    may match more than one."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            names = {
                p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"
            }
            if "page" in names and "404" not in operation["responses"]:
                operation["responses"]["404"] = _error_response(404)
            for parameter in operation.get("parameters", []):
                _name_sort_keys(parameter.get("schema", {}))
    for component in result.get("components", {}).get("schemas", {}).values():
        if "oneOf" in component and "discriminator" not in component:
            component["anyOf"] = component.pop("oneOf")
    return result
