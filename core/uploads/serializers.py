"""Input and output of the uploads API: slots, multipart parts, an upload's state."""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from core.uploads import multipart
from core.uploads.models import Upload
from media_pipeline.storage import PartInfo


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


class UploadStartInputSerializer(serializers.Serializer):
    filename = serializers.CharField(max_length=255, help_text="Kept as metadata only.")
    content_type = serializers.CharField(max_length=100, help_text="An audio type.")
    size = serializers.IntegerField(min_value=1, help_text="Exact size in bytes.")
    sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$",
        required=False,
        help_text="Hex SHA-256 of the file; the store then refuses other bytes.",
        error_messages={"invalid": "Must be 64 hexadecimal characters."},
    )


class _UploadSlotOutputSerializer(serializers.Serializer):
    upload_id = serializers.UUIDField()
    key = serializers.CharField()
    expires_at = serializers.DateTimeField(help_text="The URL(s) stop working at this time.")


class UploadSlotOutputSerializer(_UploadSlotOutputSerializer):
    """A slot for one request: up to UPLOAD_MULTIPART_THRESHOLD bytes."""

    multipart = serializers.BooleanField(help_text="`false`: send the file in one request.")
    method = serializers.CharField(help_text="The request's method: `PUT`.")
    url = serializers.CharField()
    headers = serializers.DictField(
        child=serializers.CharField(), help_text="Send exactly these headers with the request."
    )


class MultipartUploadSlotOutputSerializer(_UploadSlotOutputSerializer):
    """A slot for a file over UPLOAD_MULTIPART_THRESHOLD bytes, sent in parts."""

    multipart = serializers.BooleanField(
        help_text="`true`: send each part, then `POST /api/uploads/{id}/complete/`."
    )
    part_size = serializers.IntegerField(help_text="Bytes per part; the last holds the rest.")
    part_count = serializers.IntegerField()
    parts = PresignedPartOutputSerializer(
        many=True,
        help_text="URLs for the first parts; ask /api/uploads/{id}/parts/ for the others.",
    )


def upload_slot_schema() -> PolymorphicProxySerializer:
    """OpenAPI annotation for the upload slot: one request, or parts (`multipart` says which)."""
    return PolymorphicProxySerializer(
        component_name="UploadSlot",
        serializers=[UploadSlotOutputSerializer, MultipartUploadSlotOutputSerializer],
        resource_type_field_name=None,
    )
