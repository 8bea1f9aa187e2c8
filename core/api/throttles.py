"""The API's rate limits: every request counts against the anonymous (per client address) or
the per-user rate, and views with a `throttle_scope` against that scope's rate on top.

DRF's throttles read their rates once, when rest_framework.throttling is imported; these read
REST_FRAMEWORK's rates at request time, so a changed setting takes effect.

Each check is a read and a write of the cache: no database query when the cache is Redis or
process memory, which keeps the stream at one round trip.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _RateAtRequestTime:
    scope: str | None

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_RateAtRequestTime, throttling.AnonRateThrottle):
    """`anon`: requests without credentials, per client address."""


class UserRateThrottle(_RateAtRequestTime, throttling.UserRateThrottle):
    """`user`: requests of one account, by its id (no query: a token's user will do)."""


class ScopedRateThrottle(_RateAtRequestTime, throttling.ScopedRateThrottle):
    """The rate named by the view's `throttle_scope` (stream, presign); none without one."""
