"""Imports API: a slot for the history file, starting an import, its progress; and the
tokens other players scrobble with."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error_responses
from core.history_import import scrobbles, selectors, services
from core.history_import.serializers import (
    ImportCreatedOutputSerializer,
    ImportCreateInputSerializer,
    ImportOutputSerializer,
    ImportUploadStartInputSerializer,
    TokenCreatedOutputSerializer,
    TokenCreateInputSerializer,
    TokenOutputSerializer,
)
from core.uploads.serializers import UploadSlotOutputSerializer

TAGS = ["imports"]


class ImportPresignedUploadView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "presign"

    @extend_schema(
        tags=TAGS,
        operation_id="imports_presigned_upload",
        summary="Start uploading a listening-history file: get a presigned request",
        description=(
            "The same slot as an audio upload: send the file with `method` to `url` with "
            "exactly `headers` before `expires_at`, then start the import with "
            "`POST /api/imports/`."
        ),
        request=ImportUploadStartInputSerializer,
        responses={201: UploadSlotOutputSerializer, **error_responses(400, 401, 429, 503)},
    )
    def post(self, request: Request) -> Response:
        data = ImportUploadStartInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload, presigned = services.import_upload_start(user=request.user, **data.validated_data)
        payload = {
            "upload_id": upload.pk,
            "key": upload.key,
            "method": presigned.method,
            "url": request.build_absolute_uri(presigned.url),
            "headers": presigned.headers,
            "expires_at": presigned.expires_at,
            "multipart": False,
        }
        return Response(UploadSlotOutputSerializer(payload).data, status=status.HTTP_201_CREATED)


class ImportListView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ImportOutputSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        return selectors.import_list(user=self.request.user)

    @extend_schema(
        tags=TAGS,
        operation_id="imports_list",
        summary="One's own history imports, newest first",
        responses={200: ImportOutputSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        operation_id="imports_create",
        summary="Import an uploaded listening-history file, in the background",
        description=(
            "Spotify (extended streaming history, account data), Last.fm (CSV, "
            "getRecentTracks JSON pages) and ListenBrainz (JSON lines or array) files, alone or "
            "in a zip, told apart by their content. Follow it with `GET /api/imports/{id}/`."
        ),
        request=ImportCreateInputSerializer,
        responses={202: ImportCreatedOutputSerializer, **error_responses(400, 401, 404, 503)},
    )
    def post(self, request: Request) -> Response:
        data = ImportCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.import_create(user=request.user, **data.validated_data)
        return Response(ImportCreatedOutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="imports_retrieve",
        summary="One of one's imports: status, counts, skipped rows and progress",
        responses={200: ImportOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = selectors.import_get(user=request.user, import_id=pk)
        return Response(ImportOutputSerializer(job).data)


class TokenListView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = TokenOutputSerializer
    filter_backends: list = []
    pagination_class = None

    def get_queryset(self) -> QuerySet:
        return selectors.token_list(user=self.request.user)

    @extend_schema(
        tags=TAGS,
        operation_id="me_tokens_list",
        summary="One's scrobble tokens (without their secrets)",
        responses={200: TokenOutputSerializer(many=True), **error_responses(401)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        operation_id="me_tokens_create",
        summary="Create a token another player scrobbles with (ListenBrainz API)",
        description="The token is in this response only; Tonearm keeps its hash.",
        request=TokenCreateInputSerializer,
        responses={201: TokenCreatedOutputSerializer, **error_responses(400, 401)},
    )
    def post(self, request: Request) -> Response:
        data = TokenCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = scrobbles.scrobble_token_create(user=request.user, **data.validated_data)
        payload = TokenOutputSerializer(created.token).data | {"token": created.secret}
        return Response(payload, status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="me_tokens_revoke",
        summary="Revoke a scrobble token: players using it are refused from now on",
        request=None,
        responses={204: None, **error_responses(401, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        scrobbles.scrobble_token_revoke(user=request.user, token_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
