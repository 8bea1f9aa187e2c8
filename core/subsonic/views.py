"""/rest/<method> and /rest/<method>.view: one view that authenticates, runs the method and
wraps its answer in the envelope. Errors are answered inside the envelope with HTTP 200."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import APIException

from core.api.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    Unauthenticated,
)
from core.subsonic import auth, methods  # noqa: F401 (registers the methods)
from core.subsonic.envelope import SubsonicError, render
from core.subsonic.params import Params
from core.subsonic.registry import METHODS, Call

_CLIENT_MAX_LENGTH = 200


def _as_subsonic(exc: DomainError) -> SubsonicError:
    if isinstance(exc, NotFound):
        return SubsonicError(SubsonicError.NOT_FOUND, exc.detail)
    if isinstance(exc, Forbidden):
        return SubsonicError(SubsonicError.NOT_AUTHORIZED, exc.detail)
    if isinstance(exc, Unauthenticated):
        return SubsonicError(SubsonicError.WRONG_CREDENTIALS, exc.detail)
    if isinstance(exc, Conflict):
        return SubsonicError(SubsonicError.GENERIC, exc.detail)
    return SubsonicError(SubsonicError.GENERIC, exc.detail)


def _first_message(detail) -> str:
    while isinstance(detail, dict | list) and detail:
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return str(detail)


@csrf_exempt
@require_http_methods(["GET", "POST", "HEAD"])
def rest(request: HttpRequest, name: str) -> HttpResponse:
    params = Params(request)
    fmt = (params.get("f") or "xml").lower()
    callback = params.get("callback") or ""
    name = name.removesuffix(".view")
    try:
        found = METHODS.get(name)
        if found is None:
            raise SubsonicError(SubsonicError.NOT_FOUND, f"Unknown method: {name[:64]}")
        user = None if found.public else auth.authenticate(request, params)
        client = (params.get("c") or request.headers.get("User-Agent", ""))[:_CLIENT_MAX_LENGTH]
        answer = found.handler(Call(request=request, params=params, user=user, client=client))
    except SubsonicError as exc:
        return render(fmt, callback, None, error=exc)
    except DomainError as exc:
        return render(fmt, callback, None, error=_as_subsonic(exc))
    except ValidationError as exc:
        message = " ".join(exc.messages)
        return render(fmt, callback, None, error=SubsonicError(SubsonicError.GENERIC, message))
    except APIException as exc:
        message = _first_message(exc.detail)
        return render(fmt, callback, None, error=SubsonicError(SubsonicError.GENERIC, message))
    if isinstance(answer, HttpResponse):
        return answer
    return render(fmt, callback, answer)
