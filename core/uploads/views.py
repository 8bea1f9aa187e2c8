"""Uploads API: the owner's view of an upload, and the steps of a multipart upload."""

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.api.schema import error_responses
from core.roles import can_upload
from core.uploads import multipart
from core.uploads.models import Upload
from media_pipeline.storage import PartInfo

# --- Serializers ----------------------------------------------------------------------------


class PresignedPartOutputSerializer(serializers.Serializer):
    part_number = serializers.IntegerField()
    method = serializers.CharField()
    url = serializers.CharField()
    headers = serializers.DictField(
        child=serializers.CharField(), help_text="Send exactly these headers with the part."
    )
    expires_at = serializers.DateTimeField(help_text="The URL stops working at this time.")


class MultipartStartOutputSerializer(serializers.Serializer):
    """The multipart fields of a started upload (`POST /api/tracks/presigned_upload/`)."""

    multipart = serializers.BooleanField()
    part_size = serializers.IntegerField(help_text="Bytes per part; the last part holds the rest.")
    part_count = serializers.IntegerField()
    parts = PresignedPartOutputSerializer(
        many=True, help_text="URLs for the first parts; ask /parts/ for the others."
    )


class StoredPartOutputSerializer(serializers.Serializer):
    part_number = serializers.IntegerField()
    size = serializers.IntegerField()
    etag = serializers.CharField(help_text="Quoted, as the part's PUT answered it.")


class UploadOutputSerializer(serializers.Serializer):
    upload_id = serializers.UUIDField()
    key = serializers.CharField()
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="Declared size in bytes.")
    state = serializers.ChoiceField(
        choices=multipart.UploadState.choices,
        help_text=(
            "`pending`: waiting for the bytes (for multipart: every part, then complete) or "
            "for registration; `completed`: parts assembled, register it next; `registered`; "
            "`discarded` (aborted or cleaned up); `expired`."
        ),
    )
    multipart = serializers.BooleanField()
    part_size = serializers.IntegerField(allow_null=True)
    part_count = serializers.IntegerField(allow_null=True)
    parts = StoredPartOutputSerializer(
        many=True, help_text="Parts stored so far, while a multipart upload is pending."
    )
    expires_at = serializers.DateTimeField(help_text="Register before this time.")
    completed_at = serializers.DateTimeField(allow_null=True)
    track_id = serializers.IntegerField(allow_null=True)


class PartsInputSerializer(serializers.Serializer):
    part_numbers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=multipart.MAX_PARTS),
        allow_empty=False,
        max_length=multipart.PRESIGN_BATCH_MAX,
    )


class PartsOutputSerializer(serializers.Serializer):
    parts = PresignedPartOutputSerializer(many=True)


class CompletePartInputSerializer(serializers.Serializer):
    part_number = serializers.IntegerField(min_value=1, max_value=multipart.MAX_PARTS)
    etag = serializers.CharField(max_length=200, help_text="The ETag header the part's PUT sent.")


class CompleteInputSerializer(serializers.Serializer):
    parts = CompletePartInputSerializer(
        many=True, allow_empty=False, max_length=multipart.MAX_PARTS
    )


def presigned_part_payload(part: multipart.PresignedPart) -> dict:
    return {
        "part_number": part.part_number,
        "method": part.request.method,
        "url": part.request.url,
        "headers": part.request.headers,
        "expires_at": part.request.expires_at,
    }


def multipart_start_payload(start: multipart.MultipartStart) -> dict:
    """The fields `POST /api/tracks/presigned_upload/` adds for a multipart upload."""
    return {
        "multipart": True,
        "part_size": start.part_size,
        "part_count": start.part_count,
        "parts": [presigned_part_payload(part) for part in start.parts],
    }


def upload_payload(upload: Upload, parts: list[PartInfo]) -> dict:
    return {
        "upload_id": upload.pk,
        "key": upload.key,
        "filename": upload.filename,
        "content_type": upload.content_type,
        "size": upload.size,
        "state": multipart.upload_state(upload),
        "multipart": upload.is_multipart,
        "part_size": upload.part_size,
        "part_count": multipart.part_count(upload) if upload.is_multipart else None,
        "parts": [{"part_number": p.part_number, "size": p.size, "etag": p.etag} for p in parts],
        "expires_at": upload.expires_at,
        "completed_at": upload.completed_at,
        "track_id": upload.track_id,
    }


# --- Views ----------------------------------------------------------------------------------


class IsUploader(permissions.BasePermission):
    message = "Only uploaders have uploads."

    def has_permission(self, request: Request, view) -> bool:
        return can_upload(request.user)


class _UploadView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsUploader]


class UploadDetailView(_UploadView):
    @extend_schema(
        operation_id="uploads_retrieve",
        summary="An upload of yours, with the parts already stored",
        description=(
            "For a pending multipart upload, `parts` lists what storage holds: send the "
            "missing parts to resume after a dropped connection. Works for single-PUT uploads "
            "too (`state`, `expires_at`)."
        ),
        responses={200: UploadOutputSerializer, **error_responses(401, 403, 404, 503)},
    )
    def get(self, request: Request, upload_id: uuid.UUID) -> Response:
        upload, parts = multipart.upload_get(user=request.user, upload_id=upload_id)
        return Response(UploadOutputSerializer(upload_payload(upload, parts)).data)


class UploadPartsView(_UploadView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "presign"

    @extend_schema(
        operation_id="uploads_parts",
        summary="Presign PUTs for parts of a multipart upload",
        description=(
            "Send each part's bytes with `method` to `url` with exactly `headers`, and keep "
            "the `ETag` response header: completion names each part by it."
        ),
        request=PartsInputSerializer,
        responses={200: PartsOutputSerializer, **error_responses(400, 401, 403, 404, 429, 503)},
    )
    def post(self, request: Request, upload_id: uuid.UUID) -> Response:
        serializer = PartsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parts = multipart.multipart_presign_parts(
            user=request.user,
            upload_id=upload_id,
            part_numbers=serializer.validated_data["part_numbers"],
        )
        payload = {"parts": [presigned_part_payload(part) for part in parts]}
        return Response(PartsOutputSerializer(payload).data)


class UploadCompleteView(_UploadView):
    @extend_schema(
        operation_id="uploads_complete",
        summary="Assemble the parts of a multipart upload",
        description=(
            "List every part once, in ascending order, with the ETag its PUT answered. "
            "Completing again returns the upload. Register it next with `POST /api/tracks/`."
        ),
        request=CompleteInputSerializer,
        responses={200: UploadOutputSerializer, **error_responses(400, 401, 403, 404, 503)},
    )
    def post(self, request: Request, upload_id: uuid.UUID) -> Response:
        serializer = CompleteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = multipart.multipart_complete(
            user=request.user,
            upload_id=upload_id,
            parts=[(p["part_number"], p["etag"]) for p in serializer.validated_data["parts"]],
        )
        return Response(UploadOutputSerializer(upload_payload(upload, [])).data)


class UploadAbortView(_UploadView):
    @extend_schema(
        operation_id="uploads_abort",
        summary="Abort an upload: its parts and object are removed",
        description="Any unregistered upload, single PUT or multipart. Aborting again is a no-op.",
        request=None,
        responses={204: None, **error_responses(400, 401, 403, 404, 503)},
    )
    def post(self, request: Request, upload_id: uuid.UUID) -> Response:
        multipart.multipart_abort(user=request.user, upload_id=upload_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
