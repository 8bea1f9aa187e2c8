"""ListenBrainz's listen submission API, so that scrobblers already speaking it (Web Scrobbler,
Pano Scrobbler, multi-scrobbler, media servers with a custom ListenBrainz URL) can send plays
from other players. Errors take ListenBrainz's shape, {"code": <status>, "error": "..."},
which its clients read, not the API's own."""

import logging

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.history_import.ratelimit import rate_limited, request_token
from core.history_import.scrobbles import (
    MAX_PAYLOAD_BYTES,
    SubmissionError,
    listens_submit,
    scrobble_token_user,
)

logger = logging.getLogger(__name__)


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"code": status, "error": message}, status=status)


@csrf_exempt
@rate_limited
@require_POST
def submit_listens(request: HttpRequest) -> JsonResponse:
    if not request.headers.get("Authorization"):
        return _error(401, "You need to provide an Authorization header.")
    user = request.scrobble_user
    if user is None:
        return _error(401, "Invalid authorization token.")
    # Read past Django's in-memory limit, up to ListenBrainz's own (MAX_PAYLOAD_BYTES).
    raw = request.read(MAX_PAYLOAD_BYTES + 1)
    try:
        listens_submit(user=user, raw=raw)
    except SubmissionError as exc:
        return _error(400, str(exc))
    except DatabaseError:
        logger.exception("Storing scrobbled listens failed")
        return _error(503, "Cannot submit listens at this time, please try again later.")
    return JsonResponse({"status": "ok"})


@rate_limited
@require_GET
def validate_token(request: HttpRequest) -> JsonResponse:
    token = request_token(request) or request.GET.get("token", "")
    if not token:
        return _error(400, "You need to provide an Authorization token.")
    user = request.scrobble_user if request_token(request) else scrobble_token_user(token)
    if user is None:
        return JsonResponse({"code": 200, "message": "Token invalid.", "valid": False})
    return JsonResponse(
        {"code": 200, "message": "Token valid.", "valid": True, "user_name": user.username}
    )
