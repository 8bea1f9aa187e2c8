from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from config.ints import parse_int
from core.accounts import app_passwords as app_passwords_service
from core.accounts import services
from core.accounts.authentication import OptionalJWTAuthentication
from core.accounts.serializers import (
    AppPasswordCreatedOutputSerializer,
    AppPasswordInputSerializer,
    AppPasswordOutputSerializer,
    LoginInputSerializer,
    MeOutputSerializer,
    MeUpdateInputSerializer,
    PasswordChangeInputSerializer,
    RefreshInputSerializer,
    RegisterInputSerializer,
    RegisterOutputSerializer,
    TokenPairOutputSerializer,
)
from core.accounts.throttles import AuthRateThrottle
from core.api.errors import InvalidInput
from core.api.parsers import JSONParser
from core.api.schema import error_responses
from core.portability.deletion import account_delete
from core.portability.serializers import AccountDeleteInputSerializer

TAGS = ["accounts"]


class _AuthEndpoint(APIView):
    """Anonymous, throttled per client IP at the `auth` rate."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    parser_classes = (JSONParser,)
    # The general rates, and the tighter `auth` rate per endpoint on top.
    throttle_classes = (*api_settings.DEFAULT_THROTTLE_CLASSES, AuthRateThrottle)

    def get_authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class RegisterView(_AuthEndpoint):
    throttle_bucket = "register"

    @extend_schema(
        tags=TAGS,
        summary="Create an account",
        request=RegisterInputSerializer,
        responses={201: RegisterOutputSerializer, **error_responses(400, 429)},
    )
    def post(self, request: Request) -> Response:
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        return Response(RegisterOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenObtainView(_AuthEndpoint):
    throttle_bucket = "token"

    @extend_schema(
        tags=TAGS,
        summary="Log in: a new access and refresh token pair",
        description="Failed logins for one username from one address lock that pair out "
        "for a while (429 with code `login_locked` and Retry-After).",
        request=LoginInputSerializer,
        responses={200: TokenPairOutputSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        data = LoginInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = services.auth_login(**data.validated_data, request=request)
        return Response(TokenPairOutputSerializer(pair).data)


class TokenRefreshView(_AuthEndpoint):
    throttle_bucket = "refresh"

    @extend_schema(
        tags=TAGS,
        summary="Rotate a refresh token: a new pair, the old refresh token blacklisted",
        request=RefreshInputSerializer,
        responses={200: TokenPairOutputSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        data = RefreshInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = services.auth_refresh(refresh=data.validated_data["refresh"])
        return Response(TokenPairOutputSerializer(pair).data)


class LogoutView(_AuthEndpoint):
    throttle_bucket = "logout"
    authentication_classes = (OptionalJWTAuthentication,)

    @extend_schema(
        tags=TAGS,
        summary="Log out: blacklist a refresh token",
        description="The access token is optional (it may have expired); when a valid one "
        "is sent, the refresh token must belong to the same account.",
        request=RefreshInputSerializer,
        auth=[{"jwtAuth": []}, {}],
        responses={
            204: OpenApiResponse(description="The refresh token can no longer be used."),
            **error_responses(400, 401, 429),
        },
    )
    def post(self, request: Request) -> Response:
        data = RefreshInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        services.auth_logout(refresh=data.validated_data["refresh"], user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Room for the text fields and the multipart framing around the avatar.
_BODY_MARGIN_BYTES = 64 * 1024


def _refuse_oversized_body(request: Request) -> None:
    """Refuse from Content-Length alone, before a huge body is read into temporary files."""
    # An unreadable length counts as none, as in Django's own request.
    length = parse_int(request.META.get("CONTENT_LENGTH")) or 0
    if length > settings.AVATAR_MAX_BYTES + _BODY_MARGIN_BYTES:
        raise InvalidInput(
            f"The request is larger than an avatar of {settings.AVATAR_MAX_BYTES} bytes allows.",
            field="avatar",
            code="file_too_large",
        )


class MeView(APIView):
    permission_classes = (IsAuthenticated,)
    parser_classes = (JSONParser, MultiPartParser)
    http_method_names = ["get", "patch", "delete", "options"]

    def get_throttles(self):
        # Deleting checks the password: the password bucket's rate, like a password change.
        if self.request.method == "DELETE":
            return [AuthRateThrottle()]
        return super().get_throttles()

    throttle_bucket = "password"

    @extend_schema(
        tags=TAGS,
        summary="My profile",
        responses={200: MeOutputSerializer, **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        return Response(MeOutputSerializer(request.user, context={"request": request}).data)

    @extend_schema(
        tags=TAGS,
        summary="Edit my profile (JSON, or multipart to upload an avatar)",
        request={
            "application/json": MeUpdateInputSerializer,
            "multipart/form-data": MeUpdateInputSerializer,
        },
        responses={200: MeOutputSerializer, **error_responses(400, 401)},
    )
    def patch(self, request: Request) -> Response:
        _refuse_oversized_body(request)
        data = MeUpdateInputSerializer(data=request.data, context={"user": request.user})
        data.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **data.validated_data)
        return Response(MeOutputSerializer(user, context={"request": request}).data)

    @extend_schema(
        tags=TAGS,
        operation_id="me_destroy",
        summary="Delete my account and personal data",
        description=(
            'The current password in the JSON body (`{"password": ...}`): missing is a 400, '
            "wrong a 403, and then nothing is deleted. History (imported and scrobbled "
            "listens too), favorites, playlists and their shares, reports, scrobble tokens, "
            "imports, exports, the avatar and the statistics made of them go; uploaded tracks "
            "stay in the catalog with no uploader."
        ),
        request=AccountDeleteInputSerializer,
        responses={204: None, **error_responses(400, 401, 403, 429)},
    )
    def delete(self, request: Request) -> Response:
        data = AccountDeleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account_delete(user=request.user, password=data.validated_data.get("password"))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(APIView):
    permission_classes = (IsAuthenticated,)
    parser_classes = (JSONParser,)
    throttle_classes = (AuthRateThrottle,)
    throttle_bucket = "password"

    @extend_schema(
        tags=TAGS,
        summary="Change my password: every earlier token is revoked, a fresh pair returned",
        description="The current password must be given (400 naming `current` when wrong); "
        "the new one must pass the password rules (400 naming `new`). Every refresh and access "
        "token issued before stops working on every device; the answer is a new pair for this "
        "client. Wrong current passwords count towards the login lockout.",
        request=PasswordChangeInputSerializer,
        responses={200: TokenPairOutputSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        data = PasswordChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pair = services.user_change_password(
            user=request.user, **data.validated_data, request=request
        )
        return Response(TokenPairOutputSerializer(pair).data)


class AppPasswordListCreateView(APIView):
    permission_classes = (IsAuthenticated,)
    parser_classes = (JSONParser,)

    @extend_schema(
        tags=TAGS,
        operation_id="app_passwords_list",
        summary="My app passwords (for Subsonic apps), without their secrets",
        responses={200: AppPasswordOutputSerializer(many=True), **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        app_passwords = app_passwords_service.app_password_list(user=request.user)
        return Response(AppPasswordOutputSerializer(app_passwords, many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="app_passwords_create",
        summary="Make an app password for a Subsonic app; the password is shown this once",
        request=AppPasswordInputSerializer,
        responses={201: AppPasswordCreatedOutputSerializer, **error_responses(400, 401)},
    )
    def post(self, request: Request) -> Response:
        data = AppPasswordInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        app_password, secret = app_passwords_service.app_password_create(
            user=request.user, name=data.validated_data["name"]
        )
        payload = {
            "id": app_password.pk,
            "name": app_password.name,
            "password": secret,
            "created_at": app_password.created_at,
        }
        return Response(
            AppPasswordCreatedOutputSerializer(payload).data, status=status.HTTP_201_CREATED
        )


class AppPasswordDetailView(APIView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        tags=TAGS,
        operation_id="app_passwords_revoke",
        summary="Revoke one of my app passwords: apps using it are refused at once",
        responses={204: None, **error_responses(401, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        app_passwords_service.app_password_revoke(user=request.user, app_password_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
