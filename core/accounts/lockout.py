"""Failed-login lockout: after LOGIN_LOCKOUT_ATTEMPTS failures for one username from one
client IP within LOGIN_LOCKOUT_SECONDS, that pair is refused for LOGIN_LOCKOUT_SECONDS."""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.exceptions import Throttled


class LoginLocked(Throttled):
    default_detail = "Too many failed logins for this account from your address."
    default_code = "login_locked"


def _keys(username: str, ip: str) -> tuple[str, str]:
    digest = hashlib.sha256(f"{username.casefold()}\0{ip}".encode()).hexdigest()
    return f"login-failures:{digest}", f"login-locked:{digest}"


def ensure_not_locked(*, username: str, ip: str) -> None:
    """Raise LoginLocked (429 with Retry-After) while the pair is locked out."""
    _, lock_key = _keys(username, ip)
    locked_until = cache.get(lock_key)
    if locked_until is not None:
        remaining = locked_until - time.time()
        if remaining > 0:
            raise LoginLocked(wait=math.ceil(remaining))


def record_failure(*, username: str, ip: str) -> None:
    """Count one failed login; the failure that reaches the limit starts the lockout."""
    failures_key, lock_key = _keys(username, ip)
    window = settings.LOGIN_LOCKOUT_SECONDS
    cache.add(failures_key, 0, timeout=window)
    try:
        failures = cache.incr(failures_key)
    except ValueError:  # expired between add and incr
        cache.set(failures_key, 1, timeout=window)
        failures = 1
    if failures >= settings.LOGIN_LOCKOUT_ATTEMPTS:
        cache.set(lock_key, time.time() + window, timeout=window)
        cache.delete(failures_key)


def clear(*, username: str, ip: str) -> None:
    """Forget the failures of a pair after a successful login."""
    failures_key, _ = _keys(username, ip)
    cache.delete(failures_key)
