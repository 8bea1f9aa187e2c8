from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.pagination import OneStatementPageNumberPagination, OneStatementPaginator
from core.api.schema import error_responses
from core.playlists import selectors, services
from core.playlists.models import Playlist, PlaylistItem
from core.playlists.serializers import (
    PlaylistAddInputSerializer,
    PlaylistAddOutputSerializer,
    PlaylistChangeOutputSerializer,
    PlaylistCreateInputSerializer,
    PlaylistDetailOutputSerializer,
    PlaylistItemOutputSerializer,
    PlaylistOutputSerializer,
    PlaylistRemoveInputSerializer,
    PlaylistRemoveOutputSerializer,
    PlaylistReorderInputSerializer,
    PlaylistUpdateInputSerializer,
    PublicPlaylistFilterSerializer,
    ShareCreateInputSerializer,
    ShareOutputSerializer,
)

TAGS = ["playlists"]


def _number(items: list[PlaylistItem], start: int) -> list[PlaylistItem]:
    """Set each item's `index`: its place among the playable items."""
    for offset, item in enumerate(items):
        item.index = start + offset
    return items


def _with_first_items_page(
    request: Request, playlist: Playlist, *, url_name: str, url_kwargs: dict
) -> Playlist:
    """Attach `items_page`, the first page of the playable items, for the detail payload."""
    items = selectors.playlist_items_for_listing(playlist_id=playlist.pk, user=request.user)
    page = OneStatementPaginator(items, OneStatementPageNumberPagination.page_size).page(1)
    next_url = None
    if page.has_next():
        next_url = request.build_absolute_uri(reverse(url_name, kwargs=url_kwargs) + "?page=2")
    playlist.items_page = {
        "count": page.paginator.count,
        "next": next_url,
        "previous": None,
        "results": _number(list(page), 0),
    }
    return playlist


class _NumberedItemListView(generics.ListAPIView):
    """A page of items in order, each with its index among the playable items."""

    serializer_class = PlaylistItemOutputSerializer
    permission_classes = [AllowAny]
    filter_backends: list = []
    pagination_class = OneStatementPageNumberPagination

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        django_page = self.paginator.page
        _number(page, (django_page.number - 1) * django_page.paginator.per_page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PlaylistListCreateView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = PlaylistOutputSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        return selectors.playlist_list_own(user=self.request.user)

    @extend_schema(
        tags=TAGS,
        operation_id="playlists_list",
        summary="One's own playlists, newest first",
        responses={200: PlaylistOutputSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        operation_id="playlists_create",
        summary="Create an empty playlist",
        request=PlaylistCreateInputSerializer,
        responses={201: PlaylistOutputSerializer, **error_responses(400, 401)},
    )
    def post(self, request: Request) -> Response:
        data = PlaylistCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        playlist = services.playlist_create(owner=request.user, **data.validated_data)
        return Response(PlaylistOutputSerializer(playlist).data, status=status.HTTP_201_CREATED)


class PublicPlaylistListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = PlaylistOutputSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        filters = PublicPlaylistFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        return selectors.playlist_list_public(search=filters.validated_data.get("search", ""))

    @extend_schema(
        tags=TAGS,
        operation_id="playlists_public",
        summary="Public playlists, newest first, searchable by name",
        parameters=[PublicPlaylistFilterSerializer],
        responses={200: PlaylistOutputSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class PlaylistDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        operation_id="playlists_retrieve",
        summary="A playlist with the first page of its items (owner, or anyone if public)",
        responses={200: PlaylistDetailOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        playlist = selectors.playlist_get_visible(user=request.user, playlist_id=pk)
        _with_first_items_page(
            request, playlist, url_name="playlist-items", url_kwargs={"pk": playlist.pk}
        )
        return Response(PlaylistDetailOutputSerializer(playlist).data)

    @extend_schema(
        tags=TAGS,
        operation_id="playlists_partial_update",
        summary="Change a playlist's name, description or visibility (owner only)",
        request=PlaylistUpdateInputSerializer,
        responses={200: PlaylistOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        playlist = selectors.playlist_get_owned(user=request.user, playlist_id=pk)
        data = PlaylistUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        playlist = services.playlist_update(playlist=playlist, **data.validated_data)
        return Response(PlaylistOutputSerializer(playlist).data)

    @extend_schema(
        tags=TAGS,
        operation_id="playlists_destroy",
        summary="Delete a playlist (owner only)",
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        playlist = selectors.playlist_get_owned(user=request.user, playlist_id=pk)
        services.playlist_delete(playlist=playlist)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PlaylistItemListView(_NumberedItemListView):
    def get_queryset(self) -> QuerySet:
        playlist = selectors.playlist_get_visible(
            user=self.request.user, playlist_id=self.kwargs["pk"]
        )
        return selectors.playlist_items_for_listing(playlist_id=playlist.pk, user=self.request.user)

    @extend_schema(
        tags=TAGS,
        operation_id="playlists_items",
        summary="A page of a playlist's playable items, in order",
        responses={200: PlaylistItemOutputSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class PlaylistAddView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="playlists_add",
        summary="Insert a track at an index, or append it (owner only)",
        request=PlaylistAddInputSerializer,
        responses={201: PlaylistAddOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        playlist = selectors.playlist_get_owned(user=request.user, playlist_id=pk)
        data = PlaylistAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        playlist, item = services.playlist_add_item(playlist=playlist, **data.validated_data)
        body = {"snapshot_id": playlist.snapshot_id, "items_count": playlist.items_count}
        return Response(
            PlaylistAddOutputSerializer({**body, "item_id": item.pk}).data,
            status=status.HTTP_201_CREATED,
        )


class PlaylistRemoveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="playlists_remove",
        summary="Remove one item, or every occurrence of a track (owner only)",
        request=PlaylistRemoveInputSerializer,
        responses={
            200: PlaylistRemoveOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        playlist = selectors.playlist_get_owned(user=request.user, playlist_id=pk)
        data = PlaylistRemoveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        playlist, removed = services.playlist_remove_items(playlist=playlist, **data.validated_data)
        body = {"snapshot_id": playlist.snapshot_id, "items_count": playlist.items_count}
        return Response(PlaylistRemoveOutputSerializer({**body, "removed": removed}).data)


class PlaylistReorderView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="playlists_reorder",
        summary="Move a range of items before another index, as Spotify does (owner only)",
        request=PlaylistReorderInputSerializer,
        responses={
            200: PlaylistChangeOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        playlist = selectors.playlist_get_owned(user=request.user, playlist_id=pk)
        data = PlaylistReorderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        playlist = services.playlist_move_items(playlist=playlist, **data.validated_data)
        return Response(PlaylistChangeOutputSerializer(playlist).data)


class PlaylistShareListCreateView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = ShareOutputSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        playlist = selectors.playlist_get_owned(
            user=self.request.user, playlist_id=self.kwargs["pk"]
        )
        return selectors.share_list(playlist=playlist)

    @extend_schema(
        tags=TAGS,
        operation_id="playlists_shares_list",
        summary="A playlist's share links that are not revoked (owner only)",
        responses={200: ShareOutputSerializer(many=True), **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        operation_id="playlists_shares_create",
        summary="Create an unlisted share link, optionally expiring (owner only)",
        request=ShareCreateInputSerializer,
        responses={201: ShareOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        playlist = selectors.playlist_get_owned(user=request.user, playlist_id=pk)
        data = ShareCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        share = services.playlist_share_create(playlist=playlist, **data.validated_data)
        return Response(
            ShareOutputSerializer(share, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class PlaylistShareDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="playlists_shares_revoke",
        summary="Revoke a share link (owner only)",
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, pk: int, share_id: int) -> Response:
        playlist = selectors.playlist_get_owned(user=request.user, playlist_id=pk)
        services.playlist_share_revoke(playlist=playlist, share_id=share_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SharedPlaylistView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        operation_id="shared_retrieve",
        summary="Open a share link: the playlist and the first page of its items",
        responses={200: PlaylistDetailOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, token: str) -> Response:
        share = services.playlist_share_visit(token=token)
        playlist = _with_first_items_page(
            request, share.playlist, url_name="shared-playlist-items", url_kwargs={"token": token}
        )
        return Response(PlaylistDetailOutputSerializer(playlist).data)


class SharedPlaylistItemListView(_NumberedItemListView):
    def get_queryset(self) -> QuerySet:
        share = selectors.share_get_live(token=self.kwargs["token"])
        return selectors.playlist_items_for_listing(
            playlist_id=share.playlist_id, user=self.request.user
        )

    @extend_schema(
        tags=TAGS,
        operation_id="shared_items",
        summary="A page of a shared playlist's playable items (does not count as a visit)",
        responses={200: PlaylistItemOutputSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
