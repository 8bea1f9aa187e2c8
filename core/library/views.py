from base64 import b64decode
from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import parse_qs

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, pagination, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.ints import parse_int
from core.accounts.authentication import TokenOnlyJWTAuthentication
from core.api.schema import error_responses
from core.catalog.serializers import AlbumOutputSerializer, ArtistOutputSerializer
from core.library import favorites, payloads, previews, selectors, services, stream
from core.library.serializers import (
    FavoriteOutputSerializer,
    FavoriteStateOutputSerializer,
    HistoryClearedOutputSerializer,
    HistoryEntryOutputSerializer,
    HistoryFilterSerializer,
    PreviewOutputSerializer,
    ProgressInputSerializer,
    ProgressOutputSerializer,
    StreamInputSerializer,
    StreamOutputSerializer,
)
from core.processing.selectors import ORIGINAL

TAGS = ["library"]


class HistoryCursorPagination(pagination.CursorPagination):
    """Constant cost however long the history: each page seeks on (started_at, id)."""

    ordering = ("-started_at", "-entry_id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request: Request) -> pagination.Cursor | None:
        """DRF's cursor, read with bounded integers and a position that must be a time: a
        crafted one is the 404 of an invalid cursor, not a database error on the filter."""
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            tokens = parse_qs(b64decode(encoded.encode("ascii")).decode("ascii"))
            offset = parse_int(tokens.get("o", ["0"])[0])
            reverse = parse_int(tokens.get("r", ["0"])[0], maximum=1)
            position = tokens.get("p", [None])[0]
            valid_position = position is None or parse_datetime(position) is not None
        except (TypeError, ValueError):  # not base64 or ASCII; a time out of range
            valid_position = offset = reverse = None
        if offset is None or reverse is None or not valid_position:
            raise NotFound(self.invalid_cursor_message)
        return pagination.Cursor(
            offset=min(offset, self.offset_cutoff), reverse=bool(reverse), position=position
        )


# The stream's common request, served without DRF's per-request machinery (below).
_PLAIN_ACCEPT = frozenset({None, "*/*", "application/json"})
_DEFAULT_OPTIONS = MappingProxyType({"quality": ORIGINAL})


def _plain_stream_options(request: HttpRequest) -> Mapping | None:
    """A player's usual stream request, read from the WSGI request alone: a POST with no query,
    JSON accepted, and an empty body or `{}` as JSON; the defaults it asks for. None for
    anything else, which DRF parses, negotiates and answers (its errors included)."""
    meta = request.META
    if request.method != "POST" or meta.get("QUERY_STRING"):
        return None
    if meta.get("HTTP_ACCEPT") not in _PLAIN_ACCEPT:
        return None
    length = meta.get("CONTENT_LENGTH")
    if not length or length == "0":  # DRF reads no body then either
        return _DEFAULT_OPTIONS
    content_type = meta.get("CONTENT_TYPE", "")
    if length == "2" and content_type.partition(";")[0].strip().lower() == "application/json":
        return _DEFAULT_OPTIONS if request.body == b"{}" else None
    return None


class TrackStreamView(APIView):
    """The hottest endpoint. Its common request (a bearer token, an empty or `{}` JSON body, JSON
    accepted) takes a short path: the same authentication, permissions, throttles, service and
    renderer as DRF's dispatch would run, called directly, without building DRF's request,
    parsers and negotiation for it (about a tenth of a stream's CPU; docs/benchmarks.md). A
    request that is anything else, or a token that does not authenticate, goes through DRF's
    dispatch; an error on the short path is answered by DRF's exception handling.
    tests/library/test_stream_plain.py holds both paths to the same responses."""

    authentication_classes = [TokenOnlyJWTAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_scope = "stream"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        options = _plain_stream_options(request)
        if options is None:
            return super().dispatch(request, *args, **kwargs)
        try:
            found = self.authentication_classes[0]().authenticate(request)
        except exceptions.APIException:
            found = None
        if found is None:  # DRF's dispatch answers the 401
            return super().dispatch(request, *args, **kwargs)
        self.args, self.kwargs, self.request = args, kwargs, request
        self.headers = self.default_response_headers
        request.user, request.auth = found
        try:
            if not all(check.has_permission(request, self) for check in self.get_permissions()):
                raise exceptions.PermissionDenied()
            self.check_throttles(request)
            data = self._grant(request.user, kwargs["pk"], options, request.META)
        except Exception as exc:  # answered as DRF's dispatch answers it
            drf_request = self.initialize_request(request, *args, **kwargs)
            drf_request.user, drf_request.auth = found
            self.request = drf_request
            return self.finalize_response(drf_request, self.handle_exception(exc), *args, **kwargs)
        renderer = self.renderer_classes[0]()
        response = HttpResponse(
            renderer.render(data, renderer.media_type), content_type=renderer.media_type
        )
        for header, value in self.headers.items():
            response[header] = value
        return response

    @extend_schema(
        tags=TAGS,
        operation_id="tracks_stream",
        summary="Get a short-lived URL to play a track, opening a history entry",
        request=StreamInputSerializer,
        responses={200: StreamOutputSerializer, **error_responses(400, 401, 404, 429, 503)},
    )
    def post(self, request: Request, pk: int) -> Response:
        if isinstance(request.data, dict) and not request.data:  # what most players send
            options = _DEFAULT_OPTIONS
        else:
            data = StreamInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            options = data.validated_data
        return Response(self._grant(request.user, pk, options, request.META))

    @staticmethod
    def _grant(user, pk: int, options: Mapping, meta: Mapping) -> dict:
        grant = stream.track_stream(
            user=user,
            track_id=pk,
            client=options.get("client") or meta.get("HTTP_USER_AGENT", ""),
            quality=options["quality"],
        )
        return payloads.stream_payload(grant)


class TrackPreviewView(APIView):
    authentication_classes: list = []  # anyone; a token is neither needed nor read
    permission_classes = [AllowAny]
    throttle_scope = "preview"

    @extend_schema(
        tags=TAGS,
        operation_id="tracks_preview",
        summary="Get a short-lived URL of a track's 30-second preview (no account needed)",
        description=(
            "For playable tracks whose uploader allows previews. Records nothing in any "
            "history; throttled per client address at `THROTTLE_PREVIEW`."
        ),
        request=None,
        responses={200: PreviewOutputSerializer, **error_responses(404, 429)},
    )
    def post(self, request: Request, pk: int) -> Response:
        return Response(PreviewOutputSerializer(previews.track_preview(track_id=pk)).data)


class TrackToggleFavoriteView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="tracks_toggle_favorite",
        summary="Favorite a track, or unfavorite it if it already is",
        request=None,
        responses={200: FavoriteStateOutputSerializer, **error_responses(401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        is_favorite = services.favorite_toggle(user=request.user, track_id=pk)
        return Response(FavoriteStateOutputSerializer({"is_favorite": is_favorite}).data)


class FavoriteListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = FavoriteOutputSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        return selectors.favorite_list(user=self.request.user)

    @extend_schema(
        tags=TAGS,
        operation_id="favorites_list",
        summary="One's own favorite tracks, newest first",
        responses={200: FavoriteOutputSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class HistoryView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = HistoryEntryOutputSerializer
    pagination_class = HistoryCursorPagination
    filter_backends: list = []

    def _filters(self) -> dict:
        # A plain dict: a QueryDict would make an absent boolean read as false.
        filters = HistoryFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        return filters.validated_data

    def get_queryset(self) -> QuerySet:
        return selectors.play_history(user=self.request.user, **self._filters())

    @extend_schema(
        tags=TAGS,
        operation_id="history_list",
        summary="One's own play history, newest first, with listens imported or scrobbled",
        parameters=[HistoryFilterSerializer],
        responses={200: HistoryEntryOutputSerializer(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        rows = payloads.history_rows(user=request.user, **self._filters())
        if rows is None:  # a serializer field the fast path does not know yet
            return super().get(request, *args, **kwargs)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(payloads.history_payloads(page, request.user))

    @extend_schema(
        tags=TAGS,
        operation_id="history_clear",
        summary="Delete one's whole play history",
        request=None,
        responses={200: HistoryClearedOutputSerializer, **error_responses(401)},
    )
    def delete(self, request: Request) -> Response:
        deleted = services.play_history_clear(user=request.user)
        return Response(HistoryClearedOutputSerializer({"deleted": deleted}).data)


class PlayProgressView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="history_progress",
        summary="Report how long a history entry has played; counts the listen once due",
        parameters=[OpenApiParameter("play_id", int, OpenApiParameter.PATH)],
        request=ProgressInputSerializer,
        responses={200: ProgressOutputSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request: Request, play_id: int) -> Response:
        data = ProgressInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        play = services.play_report_progress(
            user=request.user, play_id=play_id, **data.validated_data
        )
        return Response(ProgressOutputSerializer(play).data, status=status.HTTP_200_OK)


def _toggle_favorite_of(request: Request, kind: str, pk: int) -> Response:
    is_favorite = favorites.favorite_toggle_of(user=request.user, kind=kind, object_id=pk)
    return Response(FavoriteStateOutputSerializer({"is_favorite": is_favorite}).data)


class AlbumToggleFavoriteView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="albums_toggle_favorite",
        summary="Favorite an album, or unfavorite it if it already is",
        request=None,
        responses={200: FavoriteStateOutputSerializer, **error_responses(401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _toggle_favorite_of(request, "album", pk)


class ArtistToggleFavoriteView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="artists_toggle_favorite",
        summary="Favorite an artist, or unfavorite it if it already is",
        request=None,
        responses={200: FavoriteStateOutputSerializer, **error_responses(401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _toggle_favorite_of(request, "artist", pk)


class FavoriteAlbumListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = AlbumOutputSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        return selectors.favorite_albums(user=self.request.user)

    @extend_schema(
        tags=TAGS,
        operation_id="favorites_albums_list",
        summary="One's own favorite albums, newest favorite first",
        responses={200: AlbumOutputSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class FavoriteArtistListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ArtistOutputSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        return selectors.favorite_artists(user=self.request.user)

    @extend_schema(
        tags=TAGS,
        operation_id="favorites_artists_list",
        summary="One's own favorite artists, newest favorite first",
        responses={200: ArtistOutputSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
