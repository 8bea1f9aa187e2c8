"""Lyrics API: read by anyone who can see the track; edited by whoever may edit it."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import error_responses
from core.lyrics import selectors, services
from core.lyrics.serializers import LyricsInputSerializer, LyricsOutputSerializer

TAGS = ["lyrics"]


class TrackLyricsView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=TAGS,
        operation_id="tracks_lyrics_retrieve",
        summary="A track's lyrics, plain and timed",
        responses={200: LyricsOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        lyrics = selectors.lyrics_get(user=request.user, track_id=pk)
        return Response(LyricsOutputSerializer(lyrics).data)

    @extend_schema(
        tags=TAGS,
        operation_id="tracks_lyrics_update",
        summary="Set a track's lyrics from plain text or LRC",
        description="The track's uploader, its artist's managers and moderators.",
        request=LyricsInputSerializer,
        responses={200: LyricsOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, pk: int) -> Response:
        data = LyricsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lyrics = services.lyrics_edit(
            user=request.user,
            track_id=pk,
            plain=data.validated_data.get("plain"),
            lrc_text=data.validated_data.get("lrc"),
            language=data.validated_data.get("language", ""),
        )
        return Response(LyricsOutputSerializer(lyrics).data)

    @extend_schema(
        tags=TAGS,
        operation_id="tracks_lyrics_destroy",
        summary="Clear a track's lyrics",
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        services.lyrics_delete(user=request.user, track_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
