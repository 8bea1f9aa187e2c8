"""Uploads API: start an upload, the owner's view of it, and the steps of a multipart upload."""

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error_responses
from core.artists.permissions import MayUpload
from core.uploads import multipart
from core.uploads.multipart import MultipartStart
from core.uploads.serializers import (
    CompleteInputSerializer,
    MultipartUploadSlotOutputSerializer,
    PartsInputSerializer,
    PartsOutputSerializer,
    UploadOutputSerializer,
    UploadSlotOutputSerializer,
    UploadStartInputSerializer,
    multipart_start_payload,
    presigned_part_payload,
    upload_payload,
    upload_slot_schema,
)
from core.uploads.services import upload_start


class TrackPresignedUploadView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated, MayUpload]
    throttle_scope = "presign"

    @extend_schema(
        operation_id="tracks_presigned_upload",
        summary="Start an upload: get a presigned request for the file's bytes",
        description=(
            "Send the file with `method` to `url` with exactly `headers`, before `expires_at`; "
            "then register it with `POST /api/tracks/`."
        ),
        request=UploadStartInputSerializer,
        responses={
            201: upload_slot_schema(),
            **error_responses(400, 401, 403, 429, 503),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = UploadStartInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload, presigned = upload_start(user=request.user, **serializer.validated_data)
        if isinstance(presigned, MultipartStart):
            payload = {
                "upload_id": upload.pk,
                "key": upload.key,
                "expires_at": presigned.parts[0].request.expires_at,
                **multipart_start_payload(presigned),
            }
            return Response(
                MultipartUploadSlotOutputSerializer(payload).data, status=status.HTTP_201_CREATED
            )
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


class _UploadView(APIView):
    permission_classes = [permissions.IsAuthenticated, MayUpload]


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
