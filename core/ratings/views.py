"""Ratings API: one's stars for a track or an album."""

from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error_responses
from core.catalog.models import Album, Track
from core.catalog.serializers import rating_average
from core.ratings import services

TAGS = ["ratings"]


class RatingInputSerializer(serializers.Serializer):
    stars = serializers.IntegerField(min_value=1, max_value=5)


class RatingOutputSerializer(serializers.Serializer):
    my_rating = serializers.IntegerField(allow_null=True, min_value=1, max_value=5)
    rating_average = serializers.FloatField(
        allow_null=True, help_text="Mean of the stars, two decimals; null without ratings."
    )
    rating_count = serializers.IntegerField()


def _state(item: Track | Album, mine: int | None) -> Response:
    item.refresh_from_db(fields=["rating_count", "rating_total"])
    return Response(
        RatingOutputSerializer(
            {
                "my_rating": mine,
                "rating_average": rating_average(count=item.rating_count, total=item.rating_total),
                "rating_count": item.rating_count,
            }
        ).data
    )


class _RatingView(APIView):
    """PUT and DELETE of one's rating; each subclass says which item `pk` names (`item`)."""

    permission_classes = [permissions.IsAuthenticated]
    item: Callable[[Request, int], Track | Album]

    def put(self, request: Request, pk: int) -> Response:
        data = RatingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = self.item(request, pk)
        stars = services.set_rating(
            user=request.user, item=item, stars=data.validated_data["stars"]
        )
        return _state(item, stars)

    def delete(self, request: Request, pk: int) -> Response:
        item = self.item(request, pk)
        services.clear_rating(user=request.user, item=item)
        return _state(item, None)


_PUT = {
    "summary": "Rate with 1 to 5 stars (replaces my rating)",
    "request": RatingInputSerializer,
    "responses": {200: RatingOutputSerializer, **error_responses(400, 401, 404)},
}
_DELETE = {
    "summary": "Clear my rating (idempotent)",
    "request": None,
    "responses": {200: RatingOutputSerializer, **error_responses(401, 404)},
}


class TrackRatingView(_RatingView):
    def item(self, request: Request, pk: int) -> Track:
        return services.rateable_track(user=request.user, track_id=pk)

    @extend_schema(tags=TAGS, operation_id="track_rating_set", **_PUT)
    def put(self, request: Request, pk: int) -> Response:
        return super().put(request, pk)

    @extend_schema(tags=TAGS, operation_id="track_rating_clear", **_DELETE)
    def delete(self, request: Request, pk: int) -> Response:
        return super().delete(request, pk)


class AlbumRatingView(_RatingView):
    def item(self, request: Request, pk: int) -> Album:
        return services.rateable_album(user=request.user, album_id=pk)

    @extend_schema(tags=TAGS, operation_id="album_rating_set", **_PUT)
    def put(self, request: Request, pk: int) -> Response:
        return super().put(request, pk)

    @extend_schema(tags=TAGS, operation_id="album_rating_clear", **_DELETE)
    def delete(self, request: Request, pk: int) -> Response:
        return super().delete(request, pk)
