"""ListenBrainz's rate limit on its API (`/1/`), as its clients expect it: a fixed window of
LISTENBRAINZ_RATELIMIT_WINDOW seconds, LISTENBRAINZ_RATELIMIT_PER_TOKEN requests in it for a
valid token and LISTENBRAINZ_RATELIMIT_PER_IP for the address of a caller without one; every
answer carries X-RateLimit-Limit, -Remaining, -Reset (the window's end, Unix time) and
-Reset-In (seconds to it), and a request over the limit is a 429 in ListenBrainz's error shape.
liblistenbrainz, for one, waits out the window when Remaining reaches 0.

Counters live in the default cache, as the API's throttles do (one cache per deployment:
docs/operations.md#settings)."""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.throttling import BaseThrottle

from core.history_import.scrobbles import scrobble_token_user

# The cache keeps a window's counter a little past its end, for clocks that disagree.
EXPIRY_MARGIN_SECONDS = 10
OVER_LIMIT = (
    "You have exceeded your rate limit. See the X-RateLimit-* response headers for more "
    "information on your current rate limit."
)


@dataclass(frozen=True)
class Window:
    limit: int
    count: int
    reset: int
    reset_in: int

    @property
    def over(self) -> bool:
        return self.count > self.limit

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.limit - self.count, 0)),
            "X-RateLimit-Reset": str(self.reset),
            "X-RateLimit-Reset-In": str(self.reset_in),
            "Access-Control-Expose-Headers": (
                "X-RateLimit-Remaining,X-RateLimit-Limit,X-RateLimit-Reset,X-RateLimit-Reset-In"
            ),
        }


def _now() -> int:
    return int(time.time())


def _count(ident: str, limit: int) -> Window:
    """One more request of `ident` in the current window."""
    span = settings.LISTENBRAINZ_RATELIMIT_WINDOW
    now = _now()
    reset = (now // span + 1) * span
    key = f"listenbrainz-rate:{ident}:{reset}"
    cache.add(key, 0, timeout=reset - now + EXPIRY_MARGIN_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=reset - now + EXPIRY_MARGIN_SECONDS)
        count = 1
    return Window(limit=limit, count=count, reset=reset, reset_in=reset - now)


def request_token(request: HttpRequest) -> str:
    """The token of `Authorization: Token <token>`, or ''."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "token" else ""


def rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Count the request against its token's window (a valid token) or its address's, answer
    429 over the limit, and add the window's headers to whatever the view answers. The view
    finds the token's account in `request.scrobble_user` (None without a valid token)."""

    @wraps(view)
    def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = request_token(request)
        user = scrobble_token_user(token) if token else None
        request.scrobble_user = user
        if user is not None:
            ident = "token-" + hashlib.sha256(token.encode()).hexdigest()
            window = _count(ident, settings.LISTENBRAINZ_RATELIMIT_PER_TOKEN)
        else:
            ident = "ip-" + BaseThrottle().get_ident(request)
            window = _count(ident, settings.LISTENBRAINZ_RATELIMIT_PER_IP)
        if window.over:
            response = JsonResponse({"code": 429, "error": OVER_LIMIT}, status=429)
            # Not ListenBrainz's, but HTTP's: clients that retry 429s (urllib3 does) wait for it.
            response["Retry-After"] = str(window.reset_in)
        else:
            response = view(request, *args, **kwargs)
        for name, value in window.headers().items():
            response[name] = value
        return response

    return limited
