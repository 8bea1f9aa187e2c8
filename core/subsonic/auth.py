"""Who a Subsonic call is from: an app password, given as `u`+`p` (plain or `enc:` hex),
`u`+`t`+`s` (md5 of the password and salt), or OpenSubsonic's `apiKey` (without `u`). The
account password never opens /rest/; every failure counts towards the login lockout."""

from django.http import HttpRequest

from core.accounts import app_passwords
from core.accounts.lockout import LoginLocked
from core.api.errors import Unauthenticated
from core.subsonic.envelope import SubsonicError
from core.subsonic.params import Params


def _password(raw: str) -> str:
    if raw.startswith("enc:"):
        try:
            return bytes.fromhex(raw[4:]).decode()
        except (ValueError, UnicodeDecodeError):
            raise SubsonicError(
                SubsonicError.WRONG_CREDENTIALS, "Wrong username or password."
            ) from None
    return raw


def _locked(exc: LoginLocked) -> SubsonicError:
    wait = int(exc.wait) if exc.wait else None
    return SubsonicError(SubsonicError.WRONG_CREDENTIALS, str(exc.detail), retry_after=wait)


def authenticate(request: HttpRequest, params: Params):
    """The active account the call's credentials open; SubsonicError otherwise."""
    api_key = params.get("apiKey")
    username = params.get("u")
    try:
        if api_key:
            if username:
                raise SubsonicError(
                    SubsonicError.CONFLICTING_AUTH, "Give either apiKey or u, not both."
                )
            try:
                return app_passwords.check_api_key(request=request, api_key=api_key)
            except Unauthenticated:
                raise SubsonicError(SubsonicError.INVALID_API_KEY, "Invalid API key.") from None
        if not username:
            raise SubsonicError(SubsonicError.MISSING_PARAMETER, "Required parameter is missing: u")
        token, salt, password = params.get("t"), params.get("s"), params.get("p")
        try:
            if token and salt:
                return app_passwords.check_token(
                    request=request, username=username, token=token, salt=salt
                )
            if password:
                return app_passwords.check_password(
                    request=request, username=username, password=_password(password)
                )
        except Unauthenticated:
            raise SubsonicError(
                SubsonicError.WRONG_CREDENTIALS, "Wrong username or password."
            ) from None
        raise SubsonicError(
            SubsonicError.MISSING_PARAMETER, "Required parameter is missing: p, or t and s"
        )
    except LoginLocked as exc:
        raise _locked(exc) from None
