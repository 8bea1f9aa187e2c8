"""Recommendations API: for-you tracks, daily mixes, similar tracks and artists, radio."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import NotFound
from core.api.schema import error_responses
from core.catalog.models import Track
from core.playlists.serializers import PlaylistOutputSerializer
from core.recommendations import selectors, services
from core.recommendations.serializers import (
    CountInputSerializer,
    LimitInputSerializer,
    MixOutputSerializer,
    RadioSessionOutputSerializer,
    RadioStartInputSerializer,
    RecommendedTrackOutputSerializer,
    SimilarArtistOutputSerializer,
    SimilarLimitInputSerializer,
)

TAGS = ["recommendations"]


def _query(serializer_class, request: Request) -> dict:
    data = serializer_class(data=request.query_params.dict())
    data.is_valid(raise_exception=True)
    return data.validated_data


def _picks(picks, request: Request) -> Response:
    payloads = selectors.pick_payloads(picks, request.user)
    if payloads is not None:
        return Response(payloads)
    rows = selectors.with_tracks(picks, request.user)
    context = {"request": request}
    return Response(RecommendedTrackOutputSerializer(rows, many=True, context=context).data)


class RecommendedTracksView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="me_recommendations_tracks",
        summary="Tracks for me, each with why: not played in the last 30 days, playable, "
        "at most 2 per artist and 1 per album",
        parameters=[LimitInputSerializer],
        responses={200: RecommendedTrackOutputSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request: Request) -> Response:
        limit = _query(LimitInputSerializer, request)["limit"]
        return _picks(selectors.recommended_tracks(user=request.user, limit=limit), request)


class MixListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="me_mixes",
        summary="My daily mixes: read-only playlists of 25 to 50 tracks, remade daily",
        responses={200: MixOutputSerializer(many=True), **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        mixes = list(selectors.mixes_of(request.user))
        tracks = selectors.with_tracks(
            [selectors.Pick(i.track_id, "") for m in mixes for i in m.items.all()], request.user
        )
        by_id = {row["track"].pk: row["track"] for row in tracks}
        rows = [
            {
                "pk": m.pk,
                "title": m.title,
                "genre": m.genre,
                "created_at": m.created_at,
                "tracks": [by_id[i.track_id] for i in m.items.all() if i.track_id in by_id],
            }
            for m in mixes
        ]
        context = {"request": request}
        return Response(MixOutputSerializer(rows, many=True, context=context).data)


class MixSaveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="me_mixes_save",
        summary="Save one of my daily mixes as a private playlist",
        request=None,
        responses={201: PlaylistOutputSerializer, **error_responses(401, 404)},
    )
    def post(self, request: Request, mix_id: int) -> Response:
        playlist = services.mix_save(user=request.user, mix_id=mix_id)
        context = {"request": request}
        return Response(
            PlaylistOutputSerializer(playlist, context=context).data,
            status=status.HTTP_201_CREATED,
        )


class SimilarTracksView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        operation_id="tracks_similar",
        summary="Tracks listened to by the same people, with scores; the artist's and the "
        "genre's tracks when there are too few listens, the reason saying so",
        parameters=[SimilarLimitInputSerializer],
        responses={200: RecommendedTrackOutputSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        limit = _query(SimilarLimitInputSerializer, request)["limit"]
        track = (
            Track.objects.visible_to(request.user).select_related("artist").filter(pk=pk).first()
        )
        if track is None:
            raise NotFound("Track not found.")
        return _picks(selectors.similar_tracks(track=track, limit=limit), request)


class SimilarArtistsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        operation_id="artists_similar",
        summary="Artists whose listeners overlap, with scores; artists of the same genre when "
        "there are too few listens, the reason saying so",
        parameters=[SimilarLimitInputSerializer],
        responses={200: SimilarArtistOutputSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        limit = _query(SimilarLimitInputSerializer, request)["limit"]
        artist = services.artist_or_404(pk)
        picks = selectors.similar_artists(artist=artist, limit=limit)
        return Response(SimilarArtistOutputSerializer(picks, many=True).data)


class RadioStartView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="radio_start",
        summary="Start a radio from a track, an artist or a genre",
        request=RadioStartInputSerializer,
        responses={201: RadioSessionOutputSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request: Request) -> Response:
        data = RadioStartInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.radio_start(
            user=request.user,
            seed_kind=data.validated_data["seed"],
            seed_id=data.validated_data["id"],
        )
        return Response(RadioSessionOutputSerializer(session).data, status=status.HTTP_201_CREATED)


class RadioNextView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="radio_next",
        summary="The radio's next tracks: never one it gave before, away from those I skipped",
        parameters=[
            CountInputSerializer,
            OpenApiParameter("session_id", str, OpenApiParameter.PATH, description="Session id"),
        ],
        responses={
            200: RecommendedTrackOutputSerializer(many=True),
            **error_responses(400, 401, 404),
        },
    )
    def get(self, request: Request, session_id) -> Response:
        count = _query(CountInputSerializer, request)["count"]
        picks = services.radio_next(session_id=session_id, user=request.user, count=count)
        return _picks(picks, request)
