from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.schema import error_responses
from core.api.throttles import ScopedRateThrottle
from core.reports import selectors, services
from core.reports.serializers import ReportInputSerializer, ReportOutputSerializer

TAGS = ["reports"]


class ReportListCreateView(generics.ListAPIView):
    """A listener's reports: make one, or list one's own with their status."""

    permission_classes = [IsAuthenticated]
    serializer_class = ReportOutputSerializer
    throttle_scope = "report"

    def get_throttles(self):
        # Making reports is rationed (THROTTLE_REPORT, per user) on top of the general rates;
        # reading one's own list counts against the general rates only.
        general = [t for t in super().get_throttles() if not isinstance(t, ScopedRateThrottle)]
        return [*general, ScopedRateThrottle()] if self.request.method == "POST" else general

    def get_queryset(self) -> QuerySet:
        return selectors.reports_of(self.request.user)

    @extend_schema(
        tags=TAGS,
        operation_id="reports_list",
        summary="List your own reports with their status",
        responses={200: ReportOutputSerializer(many=True), **error_responses(401)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        operation_id="reports_create",
        summary="Report a track or a public playlist to the moderators",
        description="A repeat of your open report of the same item answers 200 with it.",
        request=ReportInputSerializer,
        responses={
            201: ReportOutputSerializer,
            200: OpenApiResponse(ReportOutputSerializer, description="Already reported by you."),
            **error_responses(400, 401, 403, 404, 429),
        },
    )
    def post(self, request: Request) -> Response:
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report, created = services.report_create(
            reporter=request.user,
            kind=data.validated_data["kind"],
            item_id=data.validated_data["id"],
            reason=data.validated_data["reason"],
            note=data.validated_data["note"],
        )
        return Response(
            ReportOutputSerializer(report).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
