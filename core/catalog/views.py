"""Catalog API: tracks (browse, register, edit, delete), artists, albums, genres."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.filters import FilterBackend
from core.api.pagination import CappedCountPageNumberPagination
from core.api.schema import NOT_MODIFIED, error_responses
from core.artists.permissions import MayUpload
from core.catalog import kept_pages, payloads, selectors, services
from core.catalog.filters import AlbumFilter, ArtistFilter, GenreFilter, TrackFilter
from core.catalog.serializers import (
    AlbumOutputSerializer,
    ArtistOutputSerializer,
    GenreOutputSerializer,
    TrackOwnerDetailOutputSerializer,
    TrackRegisterInputSerializer,
    TrackUpdateInputSerializer,
    track_detail_payload_schema,
    track_payload,
    track_payload_schema,
    track_payloads,
)
from core.uploads import registration


class UploadersMayPost(MayUpload):
    """Reads for everyone; writes for uploaders and artists' managers."""

    def has_permission(self, request: Request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or super().has_permission(request, view)


def _metadata_arguments(data: dict) -> dict:
    """Input serializer names -> service keyword arguments, only for the fields given."""
    renames = {"artist": "artist_name", "album": "album_title", "genres": "genre_names"}
    return {renames.get(name, name): value for name, value in data.items()}


class TrackListCreateView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, UploadersMayPost]
    filter_backends = [FilterBackend]
    filterset_class = TrackFilter
    pagination_class = CappedCountPageNumberPagination

    def get_queryset(self):
        return selectors.track_list(user=self.request.user)

    @extend_schema(
        operation_id="tracks_list",
        summary="List and search tracks",
        description=(
            "Listeners see ready, visible tracks; uploaders also their own uploads in any "
            "status; moderators and staff everything. Your own tracks (all tracks for "
            "moderators and staff) come with status and storage details."
        ),
        responses={
            200: track_payload_schema(many=True),
            **NOT_MODIFIED,
            **error_responses(400, 401),
        },
    )
    def get(self, request: Request) -> Response:
        return kept_pages.answer(
            request, self._page, tracks=True, personal_params=frozenset({"uploaded_by", "status"})
        )

    def _page(self, user) -> Response:
        tracks = self.filter_queryset(selectors.track_list(user=user))
        rows = payloads.track_rows(tracks)
        if rows is None:  # a serializer field the fast path does not know yet
            page = self.paginate_queryset(tracks)
            return self.get_paginated_response(track_payloads(page, user))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(payloads.track_row_payloads(page, user))

    @extend_schema(
        operation_id="tracks_register",
        summary="Register an uploaded file as a track",
        description=(
            "Heads the uploaded object and checks it against the upload's declared size, type "
            "and checksum, then queues it for processing: the track is `processing` until a "
            "worker makes it `ready` or `failed`. A title or artist left out is filled from the "
            'file\'s tags (else the file name, "Unknown artist"). Repeating an identical '
            "registration returns the same track with 200."
        ),
        request=TrackRegisterInputSerializer,
        responses={
            201: TrackOwnerDetailOutputSerializer,
            200: OpenApiResponse(
                TrackOwnerDetailOutputSerializer, description="Already registered identically."
            ),
            **error_responses(400, 401, 403, 404, 503),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = TrackRegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        track, created = registration.track_register(
            user=request.user, **_metadata_arguments(serializer.validated_data)
        )
        track = selectors.track_get(user=request.user, track_id=track.pk)
        return Response(
            TrackOwnerDetailOutputSerializer(track).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class TrackDetailView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = TrackOwnerDetailOutputSerializer

    @extend_schema(
        operation_id="tracks_retrieve",
        summary="A track, with its waveform, lyrics and audio properties",
        description="The owner payload (storage key, checksum, uploader) for the track's "
        "uploader, moderators and staff; the manager payload (status, hiding) for its artist's "
        "managers; the public payload else.",
        responses={200: track_detail_payload_schema(), **NOT_MODIFIED, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        def build(user) -> Response:
            return Response(track_payload(selectors.track_get(user=user, track_id=pk), user))

        return kept_pages.answer(request, build, tracks=True)

    @extend_schema(
        operation_id="tracks_partial_update",
        summary="Edit a track",
        description="The track's uploader, its artist's managers, moderators and staff. "
        "`is_hidden` hides or unhides it: moderators, staff and the artist's managers, but a "
        "hide by a moderator or staff is lifted only by a moderator or staff; `hidden_role` "
        "says whose hide it is.",
        request=TrackUpdateInputSerializer,
        responses={200: track_detail_payload_schema(), **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        serializer = TrackUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.track_update(
            user=request.user, track_id=pk, **_metadata_arguments(serializer.validated_data)
        )
        track = selectors.track_get(user=request.user, track_id=pk)
        return Response(track_payload(track, request.user))

    @extend_schema(
        operation_id="tracks_destroy",
        summary="Delete a track and its stored file",
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        services.track_delete(user=request.user, track_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _CatalogListView(generics.ListAPIView):
    permission_classes = [permissions.AllowAny]
    filter_backends = [FilterBackend]
    personal = True  # favorite flags and the like: pages kept for anonymous callers only

    def get(self, request: Request, *args, **kwargs) -> Response:
        return kept_pages.answer(
            request, lambda user: self.list(request, *args, **kwargs), personal=self.personal
        )


@extend_schema(
    summary="List and search artists",
    responses={200: ArtistOutputSerializer(many=True), **NOT_MODIFIED, **error_responses(400)},
)
class ArtistListView(_CatalogListView):
    serializer_class = ArtistOutputSerializer
    filterset_class = ArtistFilter

    def get_queryset(self):
        return selectors.artist_list(self.request.user)


@extend_schema(
    summary="List and search albums",
    responses={200: AlbumOutputSerializer(many=True), **NOT_MODIFIED, **error_responses(400)},
)
class AlbumListView(_CatalogListView):
    serializer_class = AlbumOutputSerializer
    filterset_class = AlbumFilter

    def get_queryset(self):
        return selectors.album_list(self.request.user)


@extend_schema(
    summary="List and search genres",
    responses={200: GenreOutputSerializer(many=True), **NOT_MODIFIED, **error_responses(400)},
)
class GenreListView(_CatalogListView):
    serializer_class = GenreOutputSerializer
    filterset_class = GenreFilter
    personal = False
    queryset = selectors.genre_list()
