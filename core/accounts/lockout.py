"""Failed-login lockout, shared by every way in (the API, the admin, any future endpoint that
checks a password: they all authenticate through core.accounts.backends).

Two counters, both over LOGIN_LOCKOUT_SECONDS: LOGIN_LOCKOUT_ATTEMPTS failures for one username
from one client address lock that pair out; LOGIN_LOCKOUT_ADDRESS_ATTEMPTS failures from one
address, whatever the usernames, lock the address out. A username is never locked for every
address, or anyone could lock anyone out."""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.exceptions import Throttled

from core.accounts.usernames import username_key


class LoginLocked(Throttled):
    default_detail = "Too many failed logins for this account from your address."
    default_code = "login_locked"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _counters(username: str, ip: str) -> tuple[tuple[str, int], tuple[str, int]]:
    """(cache key, limit) of the pair's counter and of the address's counter; a username counts
    as the account it names, however it is spelt."""
    return (
        (f"login:{_digest(username_key(username), ip)}", settings.LOGIN_LOCKOUT_ATTEMPTS),
        (f"login-ip:{_digest(ip)}", settings.LOGIN_LOCKOUT_ADDRESS_ATTEMPTS),
    )


_ADDRESS_LOCKED = "Too many failed logins from your address."


def ensure_not_locked(*, username: str, ip: str) -> None:
    """Raise LoginLocked (429 with Retry-After) while the pair or the address is locked out."""
    (pair_key, _), (address_key, _) = _counters(username, ip)
    for key, detail in ((pair_key, None), (address_key, _ADDRESS_LOCKED)):
        locked_until = cache.get(f"{key}:locked")
        if locked_until is not None:
            remaining = locked_until - time.time()
            if remaining > 0:
                raise LoginLocked(wait=math.ceil(remaining), detail=detail)


def _count(key: str, limit: int) -> None:
    window = settings.LOGIN_LOCKOUT_SECONDS
    failures_key = f"{key}:failures"
    cache.add(failures_key, 0, timeout=window)
    try:
        failures = cache.incr(failures_key)
    except ValueError:  # expired between add and incr
        cache.set(failures_key, 1, timeout=window)
        failures = 1
    if failures >= limit:
        cache.set(f"{key}:locked", time.time() + window, timeout=window)
        cache.delete(failures_key)


def record_failure(*, username: str, ip: str) -> None:
    """Count one failed login; the failure that reaches a limit starts that lockout."""
    for key, limit in _counters(username, ip):
        _count(key, limit)


def clear(*, username: str, ip: str) -> None:
    """Forget the failures of a pair after a successful login (the address keeps its count)."""
    (pair_key, _), _ = _counters(username, ip)
    cache.delete(f"{pair_key}:failures")
