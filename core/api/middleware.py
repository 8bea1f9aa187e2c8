"""The API's error shape for unknown URLs when DEBUG is on."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.api.errors import page_not_found


def wants_json(request: HttpRequest) -> bool:
    """Under /api/, or a client that does not name HTML (curl, an app, fetch()): browsers do."""
    return request.path.startswith("/api/") or "text/html" not in request.headers.get("Accept", "")


class DebugJsonNotFoundMiddleware:
    """With DEBUG on, Django answers an unknown URL with its HTML debug page whatever handler404
    says; API clients get the JSON 404 they get in production (`{"code": "not_found", ...}`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not response.get("Content-Type", "").startswith("application/json")
            and not request.path.startswith("/admin/")
            and wants_json(request)
        ):
            return page_not_found(request)
        return response
