"""Rate limits of the account endpoints: per client IP, or per user when authenticated."""

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle
from rest_framework.views import APIView


def client_ip(request: Request) -> str:
    """The client's address as the throttles see it (X-Forwarded-For only behind NUM_PROXIES)."""
    return BaseThrottle().get_ident(request)


class AuthRateThrottle(SimpleRateThrottle):
    """The `auth` rate, one bucket per endpoint (`throttle_bucket` on the view)."""

    scope = "auth"

    def get_rate(self) -> str | None:
        # Read at request time rather than import time, so a changed setting takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Request, view: APIView) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ident = f"user-{user.pk}"
        else:
            ident = f"ip-{client_ip(request)}"
        bucket = getattr(view, "throttle_bucket", type(view).__name__)
        return self.cache_format % {"scope": f"{self.scope}-{bucket}", "ident": ident}
