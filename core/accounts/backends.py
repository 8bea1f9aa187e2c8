"""Django's model backend behind the login lockout: every password check that goes through
django.contrib.auth.authenticate() (the API's login, the admin's login form, a password change,
and any later way in) is refused while locked out and counts its failures."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from rest_framework.request import Request

from core.accounts import lockout
from core.accounts.throttles import client_ip

# Password checks made without a request (management commands, the shell), or from a request
# without an address, share one address.
NO_ADDRESS = "-"


def request_ip(request: HttpRequest | Request | None) -> str:
    return (client_ip(request) if request is not None else None) or NO_ADDRESS


class LockoutModelBackend(ModelBackend):
    """Raises LoginLocked while the username or the address is locked out; a failed check,
    including an inactive account's right password, counts towards the lockout."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        ip = request_ip(request)
        lockout.ensure_not_locked(username=username, ip=ip)
        user = super().authenticate(request, username=username, password=password)
        if user is None:
            lockout.record_failure(username=username, ip=ip)
        else:
            lockout.clear(username=username, ip=ip)
        return user
