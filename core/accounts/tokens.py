"""JWTs that carry the account's token version, so that a password change or a deactivation
revokes every token issued before it."""

from rest_framework_simplejwt.tokens import RefreshToken, Token

TOKEN_VERSION_CLAIM = "tv"  # noqa: S105 (a claim name, not a secret)


class VersionedRefreshToken(RefreshToken):
    """A refresh token (and the access tokens made from it) stamped with `token_version`."""

    @classmethod
    def for_user(cls, user) -> "VersionedRefreshToken":
        token = super().for_user(user)
        token[TOKEN_VERSION_CLAIM] = user.token_version
        return token


def token_version(token: Token) -> int:
    """The version a token was issued under; tokens issued before versions existed count as 0
    (the version of an account whose password never changed)."""
    value = token.payload.get(TOKEN_VERSION_CLAIM, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def claimed_token_version(user) -> int:
    """The token version `user` stands for: its token's claim when authentication loaded no
    row (a TokenUser), else the row's own version."""
    token = getattr(user, "token", None)
    return token_version(token) if isinstance(token, Token) else user.token_version
