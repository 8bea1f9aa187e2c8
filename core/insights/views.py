"""Listening insights API: one's statistics, activity and year in review; public statistics;
charts of what everyone listens to."""

from zoneinfo import ZoneInfo

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.api.errors import InvalidInput, NotFound
from core.api.schema import error_responses
from core.catalog import selectors as catalog_selectors
from core.insights import charts, selectors
from core.insights.serializers import (
    ActivityOutputSerializer,
    AlbumChartOutputSerializer,
    ArtistChartOutputSerializer,
    ChartQueryInputSerializer,
    RecapOutputSerializer,
    StatsOutputSerializer,
    StatsQueryInputSerializer,
    TimeZoneQueryInputSerializer,
    TrackChartOutputSerializer,
)

TAGS = ["insights"]


def _stats_query(request: Request, owner) -> selectors.StatsQuery:
    data = StatsQueryInputSerializer(data=request.query_params.dict())
    data.is_valid(raise_exception=True)
    values = data.validated_data
    return selectors.StatsQuery(
        period=values["period"],
        tz=ZoneInfo(values.get("tz") or owner.time_zone),
        limit=values["limit"],
        first=values.get("from"),
        last=values.get("to"),
    )


class MeStatsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="me_stats",
        summary="My listening statistics: totals and top lists of a period, and the one before",
        parameters=[StatsQueryInputSerializer],
        responses={200: StatsOutputSerializer, **error_responses(400, 401)},
    )
    def get(self, request: Request) -> Response:
        stats = selectors.listener_stats(
            user_id=request.user.pk, query=_stats_query(request, request.user)
        )
        return Response(StatsOutputSerializer(stats).data)


class MeActivityView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="me_stats_activity",
        summary="When I listen: by local hour, weekday, month and day",
        parameters=[StatsQueryInputSerializer],
        responses={200: ActivityOutputSerializer, **error_responses(400, 401)},
    )
    def get(self, request: Request) -> Response:
        activity = selectors.listener_activity(
            user_id=request.user.pk, query=_stats_query(request, request.user)
        )
        return Response(ActivityOutputSerializer(activity).data)


class MeRecapView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="me_stats_recap",
        summary="My year in review",
        parameters=[
            OpenApiParameter("year", int, OpenApiParameter.PATH, description="1970 to next year"),
            TimeZoneQueryInputSerializer,
        ],
        # 404: a path whose year is not a number matches no route.
        responses={200: RecapOutputSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request: Request, year: int) -> Response:
        if not 1970 <= year <= timezone.now().year + 1:
            raise InvalidInput("The year must be between 1970 and next year.", field="year")
        data = TimeZoneQueryInputSerializer(data=request.query_params.dict())
        data.is_valid(raise_exception=True)
        tz = ZoneInfo(data.validated_data.get("tz") or request.user.time_zone)
        recap = selectors.listener_recap(user_id=request.user.pk, year=year, tz=tz)
        return Response(RecapOutputSerializer(recap).data)


class UserStatsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        operation_id="users_stats",
        summary="A listener's statistics, when they made them public",
        parameters=[StatsQueryInputSerializer],
        responses={200: StatsOutputSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request, username: str) -> Response:
        owner = selectors.public_listener(username=username)
        if owner is None:
            raise NotFound("No public statistics for this user.")
        stats = selectors.listener_stats(user_id=owner.pk, query=_stats_query(request, owner))
        return Response(StatsOutputSerializer(stats).data)


class _ChartView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "charts"
    kind = ""
    output_serializer: type = TrackChartOutputSerializer

    def get(self, request: Request) -> Response:
        data = ChartQueryInputSerializer(data=request.query_params.dict())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        genre_id = values.get("genre")
        if genre_id is not None and not catalog_selectors.genre_exists(genre_id):
            raise InvalidInput("No genre has this id.", field="genre")
        result = charts.served_chart(
            kind=self.kind,
            period=values["period"],
            genre_id=genre_id,
            limit=values["limit"],
            user=request.user,
            render=lambda chart: self.output_serializer(chart).data,
        )
        return Response(result)


def _chart_schema(kind: str, serializer: type) -> dict:
    return {
        "tags": TAGS,
        "operation_id": f"charts_{kind}",
        "summary": f"The most listened {kind} of a window ending now (at most a minute stale)",
        "parameters": [ChartQueryInputSerializer],
        "responses": {200: serializer, **error_responses(400, 429)},
    }


class TrackChartView(_ChartView):
    kind = "tracks"
    output_serializer = TrackChartOutputSerializer

    @extend_schema(**_chart_schema("tracks", TrackChartOutputSerializer))
    def get(self, request: Request) -> Response:
        return super().get(request)


class ArtistChartView(_ChartView):
    kind = "artists"
    output_serializer = ArtistChartOutputSerializer

    @extend_schema(**_chart_schema("artists", ArtistChartOutputSerializer))
    def get(self, request: Request) -> Response:
        return super().get(request)


class AlbumChartView(_ChartView):
    kind = "albums"
    output_serializer = AlbumChartOutputSerializer

    @extend_schema(**_chart_schema("albums", AlbumChartOutputSerializer))
    def get(self, request: Request) -> Response:
        return super().get(request)
