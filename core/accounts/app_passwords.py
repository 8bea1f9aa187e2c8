"""App passwords: what a listener types into a Subsonic app instead of the account password.

Stored encrypted with Fernet (keys in APP_PASSWORD_KEYS; the first encrypts, all decrypt), since
the Subsonic token mode (md5 of password and salt) needs the secret readable, and found by a
keyed hash (HMAC-SHA256 under a key derived from each Fernet key), so that a database dump alone
yields neither a password nor a way to test guesses. Every check goes through the login lockout
(core.accounts.lockout): failures count per username and address, and a locked pair or address
is refused before any secret is compared.

A successful check is remembered in the process for APP_PASSWORD_CACHE_SECONDS (apps call many
times a minute; each check costs a query and, for tokens, a decryption per app password): the
lockout is still asked on every call, and revoking an app password, deactivating or deleting the
account forgets what this process remembers at once (other processes within those seconds,
docs/operations.md).
"""

import functools
import hashlib
import hmac
import secrets
import threading
import time
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from core.accounts import lockout
from core.accounts.backends import request_ip
from core.accounts.models import AppPassword, User
from core.accounts.usernames import username_key
from core.api.errors import InvalidInput, NotFound, Unauthenticated
from core.roles import with_role_flags

APP_PASSWORDS_PER_USER_MAX = 50
# 20 characters of a 32-letter alphabet (100 bits), in groups a person can type on a phone.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_GROUPS, _GROUP_LENGTH = 5, 4
# last_used_at is written at most this often per password: apps call many times a minute.
_LAST_USED_GRANULARITY = timedelta(minutes=1)
# The lockout's username for keys sent without one (apiKey): failures still count per address.
_API_KEY_USERNAME = "\0apiKey"
# Remembered successful checks: key -> (monotonic expiry, user, the app passwords it opened,
# each with its secret for the token mode). Bounded; emptied when full.
_REMEMBERED: dict[tuple, tuple[float, User, list[tuple[AppPassword, str | None]]]] = {}
_REMEMBERED_MAX = 10_000
_REMEMBERED_LOCK = threading.Lock()


def forget_on_app_password_delete(sender, instance: AppPassword, **kwargs) -> None:
    """post_delete of an app password, however it goes (a revocation, the admin, a queryset)."""
    app_passwords_forget(user_id=instance.user_id)


def forget_on_account_save(sender, instance: User, **kwargs) -> None:
    """post_save of an account: a deactivated one is forgotten."""
    if not instance.is_active:
        app_passwords_forget(user_id=instance.pk)


def forget_on_account_delete(sender, instance: User, **kwargs) -> None:
    app_passwords_forget(user_id=instance.pk)


def _recall(key: tuple) -> tuple[User, list[tuple[AppPassword, str | None]]] | None:
    entry = _REMEMBERED.get(key)
    if entry is None or entry[0] < time.monotonic():
        return None
    return entry[1], entry[2]


def _remember(key: tuple, user: User, opened: list[tuple[AppPassword, str | None]]) -> None:
    seconds = settings.APP_PASSWORD_CACHE_SECONDS
    if seconds <= 0:
        return
    with _REMEMBERED_LOCK:
        if len(_REMEMBERED) >= _REMEMBERED_MAX:
            _REMEMBERED.clear()
        _REMEMBERED[key] = (time.monotonic() + seconds, user, opened)


def app_passwords_forget(*, user_id: int) -> None:
    """Forget this process's remembered checks of the account (its app password revoked, the
    account deactivated or deleted): its next call is checked against the database."""
    with _REMEMBERED_LOCK:
        for key in [k for k, entry in _REMEMBERED.items() if entry[1].pk == user_id]:
            del _REMEMBERED[key]


@functools.lru_cache(maxsize=4)
def _ciphers(keys: tuple[str, ...]) -> tuple[MultiFernet, tuple[bytes, ...]]:
    try:
        fernets = [Fernet(key.encode()) for key in keys]
    except ValueError:
        raise ImproperlyConfigured(
            "APP_PASSWORD_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes)"
        ) from None
    lookup_keys = tuple(hashlib.sha256(b"tonearm lookup\0" + key.encode()).digest() for key in keys)
    return MultiFernet(fernets), lookup_keys


def _keys() -> tuple[MultiFernet, tuple[bytes, ...]]:
    return _ciphers(tuple(settings.APP_PASSWORD_KEYS))


def lookup_hashes(password: str) -> list[str]:
    """The keyed hash of `password` under each key, the current key's first."""
    _, lookup_keys = _keys()
    raw = password.encode()
    return [hmac.new(key, raw, hashlib.sha256).hexdigest() for key in lookup_keys]


def _new_secret() -> str:
    letters = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP_LENGTH))
    return "-".join(letters[i : i + _GROUP_LENGTH] for i in range(0, len(letters), _GROUP_LENGTH))


def reveal(app_password: AppPassword) -> str | None:
    """The password in clear, or None when no configured key opens it."""
    cipher, _ = _keys()
    try:
        return cipher.decrypt(bytes(app_password.encrypted)).decode()
    except InvalidToken:
        return None


@transaction.atomic
def app_password_create(*, user: User, name: str) -> tuple[AppPassword, str]:
    """A new app password for `user`; returns it with its secret, shown this once."""
    # Lock the account row: two concurrent creations must not both pass the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if AppPassword.objects.filter(user=user).count() >= APP_PASSWORDS_PER_USER_MAX:
        raise InvalidInput(
            f"An account holds at most {APP_PASSWORDS_PER_USER_MAX} app passwords; revoke one.",
            code="too_many_app_passwords",
        )
    secret = _new_secret()
    cipher, _ = _keys()
    app_password = AppPassword(
        user=user,
        name=name,
        encrypted=cipher.encrypt(secret.encode()),
        lookup_hash=lookup_hashes(secret)[0],
    )
    app_password.full_clean(exclude=["user", "encrypted", "lookup_hash"])
    app_password.save()
    return app_password, secret


def app_password_list(*, user: User) -> QuerySet[AppPassword]:
    """One's own app passwords, newest first (their secrets are never shown again)."""
    return AppPassword.objects.filter(user=user).order_by("-created_at", "-id")


def app_password_revoke(*, user: User, app_password_id: int) -> None:
    """Delete one of one's own app passwords: apps using it are refused from the next call."""
    deleted, _ = AppPassword.objects.filter(user=user, pk=app_password_id).delete()
    if not deleted:
        raise NotFound("App password not found.")
    app_passwords_forget(user_id=user.pk)


@transaction.atomic
def app_passwords_rotate() -> int:
    """Re-encrypt every app password under the first key and re-hash it for lookup; returns
    how many were rewritten. Run after putting a new key first in APP_PASSWORD_KEYS."""
    cipher, _ = _keys()
    rewritten = 0
    for app_password in AppPassword.objects.select_for_update().order_by("pk"):
        secret = reveal(app_password)
        if secret is None:
            continue
        app_password.encrypted = cipher.rotate(bytes(app_password.encrypted))
        app_password.lookup_hash = lookup_hashes(secret)[0]
        app_password.save(update_fields=["encrypted", "lookup_hash"])
        rewritten += 1
    return rewritten


def _refused() -> Unauthenticated:
    return Unauthenticated("Wrong username or password.", code="wrong_credentials")


def _used(app_password: AppPassword) -> None:
    now = timezone.now()
    last_used = app_password.last_used_at
    if last_used is not None and last_used >= now - _LAST_USED_GRANULARITY:
        return  # recent enough: no write on every call of a busy app
    AppPassword.objects.filter(pk=app_password.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - _LAST_USED_GRANULARITY)
    ).update(last_used_at=now)
    app_password.last_used_at = now  # a remembered copy writes again a minute later, not now


def _checked(request: HttpRequest | None, username: str, key: tuple, match) -> User:
    """Run `match` (user, remembered app passwords or None -> AppPassword | None) under the
    lockout for `username`; a success is remembered under `key`."""
    ip = request_ip(request)
    lockout.ensure_not_locked(username=username, ip=ip)
    remembered = _recall(key)
    if remembered is not None:
        user, opened = remembered
        app_password = match(user, opened)
        if app_password is not None:
            _used(app_password)
            return user
    # The role flags come with the row, as for the REST API's users (core.roles).
    users = with_role_flags(User.objects.filter(username_key=username_key(username)))
    user = users.filter(is_active=True).first()
    app_password = match(user, None) if user is not None else None
    if app_password is None:
        lockout.record_failure(username=username, ip=ip)
        raise _refused()
    _used(app_password)
    return user


def check_password(*, request: HttpRequest | None, username: str, password: str) -> User:
    """The active account whose app password this is (the `u` and `p` of Subsonic)."""
    hashes = lookup_hashes(password)
    key = ("password", username_key(username), hashes[0])

    def match(user: User, opened) -> AppPassword | None:
        if opened is not None:
            return opened[0][0]
        app_password = AppPassword.objects.filter(user=user, lookup_hash__in=hashes).first()
        if app_password is not None:
            _remember(key, user, [(app_password, None)])
        return app_password

    return _checked(request, username, key, match)


def check_token(*, request: HttpRequest | None, username: str, token: str, salt: str) -> User:
    """The active account one of whose app passwords gives md5(password + salt) == token. Apps
    send a new salt on each call: what is remembered is the account's app passwords, readable."""
    token = token.lower()
    key = ("token", username_key(username))

    def match(user: User, opened) -> AppPassword | None:
        if opened is None:
            opened = [(p, reveal(p)) for p in AppPassword.objects.filter(user=user)]
            _remember(key, user, opened)
        for app_password, secret in opened:
            if secret is None:
                continue
            expected = hashlib.md5((secret + salt).encode(), usedforsecurity=False).hexdigest()
            if hmac.compare_digest(expected, token):
                return app_password
        return None

    return _checked(request, username, key, match)


def check_api_key(*, request: HttpRequest | None, api_key: str) -> User:
    """The active account whose app password is `api_key` (OpenSubsonic's apiKey, no user)."""
    ip = request_ip(request)
    lockout.ensure_not_locked(username=_API_KEY_USERNAME, ip=ip)
    hashes = lookup_hashes(api_key)
    key = ("apiKey", hashes[0])
    if (remembered := _recall(key)) is not None:
        user, [(app_password, _)] = remembered
        _used(app_password)
        return user
    app_password = (
        AppPassword.objects.filter(lookup_hash__in=hashes, user__is_active=True)
        .select_related("user")
        .first()
    )
    if app_password is None:
        lockout.record_failure(username=_API_KEY_USERNAME, ip=ip)
        raise _refused()
    _remember(key, app_password.user, [(app_password, None)])
    _used(app_password)
    return app_password.user
