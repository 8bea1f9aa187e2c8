"""Domain errors and the one JSON shape every API error takes.

Shape: {"code": "not_found", "detail": "Track not found.", "fields": {"size": ["..."]}}
"fields" appears only for input errors and names each offending field.
"""

import logging
import sys
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.api.outage import DATABASE_UNAVAILABLE, database_unavailable_response

logger = logging.getLogger(__name__)


class DomainError(Exception):
    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"

    def __init__(self, detail: str, *, field: str | None = None, code: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if code:
            self.code = code


class InvalidInput(DomainError):
    pass


class Unauthenticated(DomainError):
    """The request's credentials do not name a usable account (401)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    code = "authentication_failed"


class Forbidden(DomainError):
    """The account may not do this (403); the message says who may."""

    status_code = status.HTTP_403_FORBIDDEN
    code = "permission_denied"


class NotFound(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class Conflict(DomainError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class ServiceUnavailable(DomainError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    code = "service_unavailable"


def error_body(code: str, detail: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "detail": detail}
    if fields:
        body["fields"] = fields
    return body


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _leaf_messages(detail: Any, path: str = "") -> list[str]:
    """Every message under `detail`, prefixed with where it sits (`0.etag: ...`)."""
    if isinstance(detail, dict):
        entries = list(detail.items())
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        entries = [(str(index), item) for index, item in enumerate(detail)]
    else:
        prefix = f"{path}: " if path else ""
        items = detail if isinstance(detail, list) else [detail]
        return [f"{prefix}{item}" for item in items]
    messages: list[str] = []
    for key, value in entries:
        inner = path if key == "non_field_errors" else (f"{path}.{key}" if path else str(key))
        messages += _leaf_messages(value, inner)
    return messages


def _field_messages(detail: dict) -> dict[str, list[str]]:
    """Per top-level field, a flat list of messages, as the schema documents: errors of list
    items and nested objects say where they are (`"parts": ["1.etag: This field is required."]`)."""
    return {name: _leaf_messages(value) for name, value in detail.items()}


def exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse | None:
    if isinstance(exc, DATABASE_UNAVAILABLE):
        return database_unavailable_response(context["request"], exc)
    if isinstance(exc, DomainError):
        fields = {exc.field: [exc.detail]} if exc.field else None
        response = Response(error_body(exc.code, exc.detail, fields), status=exc.status_code)
        view, request = context.get("view"), context.get("request")
        if isinstance(exc, Unauthenticated) and view is not None and request is not None:
            # As DRF does for its own 401s: say which scheme would authenticate.
            header = view.get_authenticate_header(request)
            if header:
                response["WWW-Authenticate"] = header
        return response
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("request_too_large", "The request body is too large."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, SuspiciousOperation):
        # Too many form fields or files, a malformed multipart body: the client's fault.
        return Response(
            error_body("bad_request", "The request could not be read."),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__)
        return Response(
            error_body("server_error", "An unexpected error occurred."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            fields = _field_messages(detail)
            non_field = fields.pop("non_field_errors", None)
            message = non_field[0] if non_field else "Invalid input."
            if non_field:
                fields["non_field_errors"] = non_field
            response.data = error_body("invalid", message, fields)
        else:
            messages = _flatten(detail if isinstance(detail, list) else [detail])
            response.data = error_body("invalid", messages[0] if messages else "Invalid input.")
        return response

    nested = getattr(exc, "detail", None)
    if isinstance(nested, dict) and "detail" in nested:
        # rest_framework_simplejwt raises {"detail", "code", "messages"} for bad tokens.
        response.data = error_body(str(nested.get("code", "error")), str(nested["detail"]))
        return response
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if not isinstance(code, str):
        code = "error"
    detail_text = str(exc.detail) if isinstance(exc, exceptions.APIException) else str(exc)
    response.data = error_body(code, detail_text)
    return response


def _is_admin(request: HttpRequest) -> bool:
    return request.path.startswith("/admin/")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 (a disallowed host, a body too large to read) in the API's error shape."""
    if _is_admin(request):
        return defaults.bad_request(request, exception)
    return JsonResponse(error_body("bad_request", "The request could not be read."), status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_admin(request):
        return defaults.permission_denied(request, exception)
    detail = "You do not have permission to perform this action."
    return JsonResponse(error_body("permission_denied", detail), status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Unknown URLs (and path parameters their converter refuses) answer like an unknown id."""
    if _is_admin(request):
        return defaults.page_not_found(request, exception)
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Also the answer to errors raised in middleware, which no view's handler sees.
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_UNAVAILABLE):
        return database_unavailable_response(request, exc)
    if _is_admin(request):
        return defaults.server_error(request)
    return JsonResponse(error_body("server_error", "An unexpected error occurred."), status=500)
