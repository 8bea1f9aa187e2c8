import functools

from django.core.exceptions import ValidationError
from django.db import connection
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.drainage import set_override
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.tokens import Token

from config import prepared
from core.accounts.tokens import token_version
from core.roles import with_role_flags


def revoked() -> AuthenticationFailed:
    return AuthenticationFailed(
        "The token was revoked by a password change or a deactivation.", code="token_revoked"
    )


@functools.cache
def _users_with_roles(user_model):
    """The annotated queryset, built once per process: building its two Exists subqueries took
    a measurable share of every authenticated request. Never evaluated itself."""
    return with_role_flags(user_model.objects.all())


_SENTINEL = -7_318_364_529  # stands for the looked-up value in the compiled statement


@functools.cache
def _compiled(user_model, field: str, vendor: str) -> tuple[str, tuple, int]:
    """The statement reading one user by `field` with their role flags, compiled once per
    process, and where the looked-up value goes in its parameters."""
    queryset = _users_with_roles(user_model).filter(**{field: _SENTINEL})
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params), params.index(_SENTINEL)


class _UsersWithRoles:
    """What simplejwt's get_user reads the user through: the user model's rows with their
    role permissions annotated (core.roles.with_role_flags), one query for both. The statement
    is compiled once per process (compiling it took about as long as running it, on every
    authenticated request), only the value changes, and on PostgreSQL it is prepared once per
    connection (config/prepared.py: planning it took longer than running it)."""

    def __init__(self, user_model):
        self.DoesNotExist = user_model.DoesNotExist
        self._model = user_model

    @property
    def objects(self) -> "_UsersWithRoles":
        return self

    def get(self, **lookup):
        ((field, value),) = lookup.items()
        try:
            value = self._model._meta.get_field(field).to_python(value)
        except ValidationError as error:
            raise self.DoesNotExist from error
        sql, params, slot = _compiled(self._model, field, connection.vendor)
        params = list(params)
        params[slot] = value
        if connection.vendor != "postgresql":  # SQLite's values need Django's converters
            found = list(self._model.objects.raw(sql, params))
            if not found:
                raise self.DoesNotExist
            return found[0]
        values = prepared.fetch_one(sql, params)
        if values is None:
            raise self.DoesNotExist
        return self._user(values)

    def _user(self, values: dict):
        """The user instance of a row: its fields, then its role flags as attributes (what a
        raw queryset does, without its per-row machinery: 0.4 ms a request)."""
        fields = self._model._meta.concrete_fields
        user = self._model.from_db(
            connection.alias, [f.attname for f in fields], [values.pop(f.column) for f in fields]
        )
        for name, value in values.items():
            setattr(user, name, value)
        return user


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's authentication, refusing tokens issued before the account's last password
    change or deactivation."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user_model = _UsersWithRoles(self.user_model)

    def get_user(self, validated_token: Token):
        user = super().get_user(validated_token)
        if token_version(validated_token) != user.token_version:
            raise revoked()
        return user


class OptionalJWTAuthentication(JWTAuthentication):
    """A valid access token identifies the user; an expired or invalid one counts as none,
    so that a client whose access token has lapsed can still log out."""

    def authenticate(self, request: Request):
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            return None


class TokenOnlyJWTAuthentication(authentication.JWTStatelessUserAuthentication):
    """Checks the access token's signature and expiry and loads no user row: `request.user` is
    a TokenUser carrying the id and the token. Only for views whose own query confirms that the
    account exists, is active and still issues tokens of this version (the stream), so a
    deactivated account or a changed password is still refused at once."""


class JWTScheme(SimpleJWTScheme):
    """In the OpenAPI document, simplejwt's bearer scheme."""

    target_class = JWTAuthentication


class TokenOnlyJWTScheme(SimpleJWTScheme):
    """In the OpenAPI document, the same bearer scheme as JWTAuthentication's."""

    target_class = TokenOnlyJWTAuthentication


set_override(TokenOnlyJWTAuthentication, "suppress_collision_warning", True)
set_override(JWTAuthentication, "suppress_collision_warning", True)
