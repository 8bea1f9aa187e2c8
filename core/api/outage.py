"""Answering while the database is unreachable: 503 in the API's error shape, with
Retry-After, and one log line when an outage starts and one when it ends (per process),
instead of a 500 and a traceback for every request.

Errors raised in DRF views reach core.api.errors.exception_handler; those raised in plain
Django views reach DatabaseOutageMiddleware.process_exception; those raised in middleware
reach the 500 handler (core.api.errors.server_error). All three answer here.
"""

import logging
import threading
import time

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

# Connection refused, terminated by a restart, broken mid-request: psycopg and Django raise
# these two; a client can only wait and retry.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
_DETAIL = "The database is unavailable; retry shortly."


class _Outage:
    """This process's view of the database: up, or down since a moment, with a count of the
    requests refused meanwhile."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self.refused = 0

    def record_failure(self, exc: BaseException) -> None:
        with self._lock:
            self.refused += 1
            if self.down_since is not None:
                return
            self.down_since = time.monotonic()
        # The error's class only: its text may carry the host and the database's name.
        logger.error(
            "Database unavailable (%s); answering 503 until it returns", type(exc).__name__
        )

    def check_recovered(self) -> None:
        """While an outage is recorded, log its end once the database answers again."""
        if self.down_since is None:
            return
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DATABASE_UNAVAILABLE:
            return
        with self._lock:
            if self.down_since is None:
                return
            seconds = time.monotonic() - self.down_since
            refused, self.down_since, self.refused = self.refused, None, 0
        logger.warning(
            "Database available again after %.1f s; %d requests answered 503", seconds, refused
        )


outage = _Outage()


def database_unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """503 with Retry-After: JSON in the API's error shape; plain text for the admin."""
    outage.record_failure(exc)
    if request.path.startswith("/admin/"):
        response = HttpResponse(_DETAIL, status=503, content_type="text/plain; charset=utf-8")
    else:
        response = JsonResponse({"code": "database_unavailable", "detail": _DETAIL}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # The outage is logged once, by `outage`: keep django.request from logging each answer.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class DatabaseOutageMiddleware:
    """Answers 503 for database outages raised in views outside DRF, and logs when an
    outage ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 503:
            outage.check_recovered()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable_response(request, exception)
        return None
