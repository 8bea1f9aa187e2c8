from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.drainage import set_override
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import (
    JWTAuthentication,
    JWTStatelessUserAuthentication,
)


class OptionalJWTAuthentication(JWTAuthentication):
    """A valid access token identifies the user; an expired or invalid one counts as none,
    so that a client whose access token has lapsed can still log out."""

    def authenticate(self, request: Request):
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            return None


class TokenOnlyJWTAuthentication(JWTStatelessUserAuthentication):
    """Checks the access token's signature and expiry and loads no user row: `request.user` is
    a TokenUser carrying the id. Only for views whose own query confirms that the account
    exists and is active (the stream), so a deactivated account is still refused at once."""


class TokenOnlyJWTScheme(SimpleJWTScheme):
    """In the OpenAPI document, the same bearer scheme as JWTAuthentication's."""

    target_class = TokenOnlyJWTAuthentication


set_override(TokenOnlyJWTAuthentication, "suppress_collision_warning", True)
