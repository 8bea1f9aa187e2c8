"""Account writes: registration, logins and JWT rotation, profile and avatar changes."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.models import update_last_login
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from core.accounts.authentication import revoked
from core.accounts.avatars import AVATAR_EXTENSION, avatar_reencode
from core.accounts.models import User
from core.accounts.tokens import VersionedRefreshToken, token_version
from core.accounts.usernames import username_key
from core.api.errors import InvalidInput, Unauthenticated

KEEP: Any = object()
"""Default of optional service arguments: leave that attribute as it is."""


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


def _duplicate(username: str, email: str) -> InvalidInput | None:
    if User.objects.filter(username_key=username_key(username)).exists():
        return InvalidInput("A user with that username already exists.", field="username")
    if User.objects.filter(email__iexact=email).exists():
        return InvalidInput("A user with that email address already exists.", field="email")
    return None


@transaction.atomic
def user_register(*, username: str, email: str, password: str) -> User:
    """Create a listener account; duplicates (compared by username_key(), so ignoring case
    and Unicode compatibility forms) and weak passwords are refused."""
    username = User.normalize_username(username)
    email = User.objects.normalize_email(email)
    if error := _duplicate(username, email):
        raise error
    user = User(username=username, email=email)
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise exceptions.ValidationError({"password": list(exc.messages)}) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # A concurrent registration took the name or address between the check and the insert.
        raise _duplicate(username, email) or InvalidInput(
            "A user with that username already exists.", field="username"
        ) from None
    return user


def _tokens_for(user: User) -> TokenPair:
    refresh = VersionedRefreshToken.for_user(user)
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh))


def user_authenticate(
    *, request: HttpRequest | Request | None, username: str, password: str
) -> User:
    """The active account these credentials open: the one password check for every way in.
    It goes through the login lockout (core.accounts.backends), so while the username or the
    address is locked out it raises LoginLocked (429), and every failure counts."""
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise Unauthenticated(
            "No active account found with the given credentials.", code="no_active_account"
        )
    return user


@transaction.atomic
def auth_login(*, username: str, password: str, request: HttpRequest | Request | None) -> TokenPair:
    """A fresh token pair for valid credentials; failures count towards the lockout."""
    user = user_authenticate(request=request, username=username, password=password)
    update_last_login(None, user)
    return _tokens_for(user)


def _decode_refresh(raw: str) -> RefreshToken:
    try:
        return RefreshToken(raw)  # checks signature, expiry, type and the blacklist
    except TokenError as exc:
        raise InvalidToken(str(exc.args[0])) from None


def _token_user(token: RefreshToken) -> User:
    user_id = token.payload.get(jwt_settings.USER_ID_CLAIM)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        raise Unauthenticated(
            "No active account found for the given token.", code="no_active_account"
        )
    if token_version(token) != user.token_version:
        raise revoked()
    return user


def _blacklist(token: RefreshToken, user: User) -> None:
    outstanding, _ = OutstandingToken.objects.get_or_create(
        jti=token[jwt_settings.JTI_CLAIM],
        defaults={
            "user": user,
            "token": str(token),
            "created_at": token.current_time,
            "expires_at": datetime_from_epoch(token["exp"]),
        },
    )
    try:
        with transaction.atomic():
            # The one-to-one constraint lets exactly one of two concurrent uses succeed.
            BlacklistedToken.objects.create(token=outstanding)
    except IntegrityError:
        raise InvalidToken("Token is blacklisted") from None


@transaction.atomic
def auth_refresh(*, refresh: str) -> TokenPair:
    """Trade a refresh token for a new pair; the old refresh token is blacklisted."""
    token = _decode_refresh(refresh)
    user = _token_user(token)
    _blacklist(token, user)
    return _tokens_for(user)


@transaction.atomic
def auth_logout(*, refresh: str, user: User | None = None) -> None:
    """Blacklist a refresh token; when `user` is given the token must be theirs."""
    token = _decode_refresh(refresh)
    owner = _token_user(token)
    if user is not None and owner.pk != user.pk:
        raise InvalidInput("This refresh token belongs to another account.", field="refresh")
    _blacklist(token, owner)


@transaction.atomic
def user_change_password(
    *, user: User, current: str, new: str, request: HttpRequest | Request | None
) -> TokenPair:
    """Set a new password after checking the current one through the login lockout; every
    token issued before is revoked (User.save moves the token version on) and a fresh pair is
    returned for this client."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    checked = authenticate(request, username=locked.username, password=current)
    if checked is None or checked.pk != locked.pk:
        raise InvalidInput("The current password is not correct.", field="current")
    try:
        password_validation.validate_password(new, user=locked)
    except DjangoValidationError as exc:
        raise exceptions.ValidationError({"new": list(exc.messages)}) from None
    locked.set_password(new)
    locked.save(update_fields=["password"])
    return _tokens_for(locked)


def _store_avatar(user: User, upload: File) -> str:
    content = avatar_reencode(upload)
    field = User._meta.get_field("avatar")
    name = field.generate_filename(user, f"{uuid.uuid4().hex}.{AVATAR_EXTENSION}")
    return field.storage.save(name, ContentFile(content))


def user_update_profile(
    *,
    user: User,
    nickname: str = KEEP,
    bio: str = KEEP,
    avatar: File | None = KEEP,
    time_zone: str = KEEP,
    stats_public: bool = KEEP,
    favorite_genres: list = KEEP,
) -> User:
    """Change the editable profile fields; `avatar=None` removes the avatar.

    A new avatar is re-encoded and stored before the row is updated; the file it replaces
    is deleted once the change is committed.
    """
    new_avatar = _store_avatar(user, avatar) if avatar not in (KEEP, None) else None
    storage = User._meta.get_field("avatar").storage
    try:
        with transaction.atomic():
            # Locked so that of two concurrent avatar changes each deletes the file it replaced.
            locked = User.objects.select_for_update().get(pk=user.pk)
            changed = []
            if nickname is not KEEP:
                locked.nickname = nickname
                changed.append("nickname")
            if bio is not KEEP:
                locked.bio = bio
                changed.append("bio")
            for name, value in (("time_zone", time_zone), ("stats_public", stats_public)):
                if value is not KEEP:
                    setattr(locked, name, value)
                    changed.append(name)
            if avatar is not KEEP:
                replaced = locked.avatar.name
                locked.avatar.name = new_avatar or ""
                changed.append("avatar")
                if replaced:
                    transaction.on_commit(lambda: storage.delete(replaced), robust=True)
            if changed:
                locked.save(update_fields=changed)
            if favorite_genres is not KEEP:
                locked.favorite_genres.set(favorite_genres)
    except BaseException:
        if new_avatar:
            storage.delete(new_avatar)
        raise
    return locked
