"""Liveness and readiness probes for load balancers and orchestrators."""

import logging
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from media_pipeline.storage import get_storage

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 2


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_storage() -> None:
    get_storage().ping()


def _check_queue() -> None:
    """The job queue's store answers: the task table for the database backend, Redis for RQ.
    The immediate backend runs jobs in the request and has nothing to reach."""
    from django_tasks_rq.backend import RQBackend  # imports RQ: only when asked

    backend = task_backends["default"]
    if isinstance(backend, DatabaseBackend):
        DBTaskResult.objects.exists()
    elif isinstance(backend, RQBackend):
        for name in backend.queues:
            url = settings.RQ_QUEUES[name]["URL"]
            client = redis.Redis.from_url(
                url,
                socket_connect_timeout=PROBE_TIMEOUT_SECONDS,
                socket_timeout=PROBE_TIMEOUT_SECONDS,
            )
            try:
                client.ping()
            finally:
                client.close()


CHECKS: dict[str, Callable[[], None]] = {
    "database": _check_database,
    "storage": _check_storage,
    "queue": _check_queue,
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and serving; depends on nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Every dependency answers; 503 naming the ones that do not."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # whatever the failure, the dependency is not usable
            logger.warning("Readiness check %s failed: %s", name, exc)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    failing = [name for name, state in results.items() if state != "ok"]
    if failing:
        return JsonResponse(
            {
                "status": "unavailable",
                "code": "service_unavailable",
                "detail": f"Not ready: {', '.join(failing)} unavailable.",
                "checks": results,
            },
            status=503,
        )
    return JsonResponse({"status": "ok", "checks": results})


class ProbeMiddleware:
    """Lets /healthz and /readyz through whatever the Host header says.

    The image's HEALTHCHECK and orchestrators call the probes by address (127.0.0.1, a pod IP),
    which ALLOWED_HOSTS rightly does not list; the probes' answers do not depend on the host. So
    for them alone the host is taken as sent, and the request goes through every other
    middleware (security headers included) as usual. First in MIDDLEWARE, before anything
    reads the host.
    """

    PATHS = frozenset({"/healthz", "/readyz"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in self.PATHS:
            request.get_host = lambda: _host_as_sent(request)
        return self.get_response(request)


def _host_as_sent(request: HttpRequest) -> str:
    return request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
