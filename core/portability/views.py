"""Take everything with you: an export of the account (its deletion is routed with the
profile, core.accounts.views.MeView)."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error_responses
from core.portability import services
from core.portability.serializers import (
    ExportCreatedOutputSerializer,
    ExportOutputSerializer,
)

TAGS = ["accounts"]


class ExportListView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_scope = "presign"

    @extend_schema(
        tags=TAGS,
        operation_id="me_export_create",
        summary="Export everything one's account holds, as a zip, in the background",
        request=None,
        responses={202: ExportCreatedOutputSerializer, **error_responses(401, 429)},
    )
    def post(self, request: Request) -> Response:
        export = services.export_create(user=request.user)
        return Response(ExportCreatedOutputSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class ExportDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="me_export_retrieve",
        summary="One's export: its status, and a short-lived download URL once ready",
        responses={200: ExportOutputSerializer, **error_responses(401, 404, 503)},
    )
    def get(self, request: Request, pk: int) -> Response:
        export = services.export_get(user=request.user, export_id=pk)
        download = services.export_download(export)
        payload = {
            "id": export.pk,
            "status": export.status,
            "created_at": export.created_at,
            "finished_at": export.finished_at,
            "size": export.size,
            "failure_reason": export.failure_reason,
            "download_url": request.build_absolute_uri(download.url) if download else None,
            "expires_at": download.expires_at if download else None,
        }
        return Response(ExportOutputSerializer(payload).data)
