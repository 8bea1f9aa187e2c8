"""Artists API: an artist's page and its edits, managers, statistics; albums' edits; follows
of artists and people; the release feed."""

from zoneinfo import ZoneInfo

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import permissions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.ints import parse_int
from core.api.errors import InvalidInput, NotFound
from core.api.pagination import PageNumberPagination
from core.api.parsers import JSONParser
from core.api.schema import error_responses
from core.artists import feed, selectors, services, stats
from core.artists.payloads import artist_payload, feed_payloads
from core.artists.permissions import can_manage_artist
from core.artists.serializers import (
    AlbumManagerOutputSerializer,
    AlbumUpdateInputSerializer,
    ArtistDetailOutputSerializer,
    ArtistStatsOutputSerializer,
    ArtistStatsQueryInputSerializer,
    ArtistUpdateInputSerializer,
    FeedPageOutputSerializer,
    FeedQueryInputSerializer,
    FollowedArtistOutputSerializer,
    FollowedUserOutputSerializer,
    FollowingPageOutputSerializer,
    FollowingQueryInputSerializer,
    FollowStateOutputSerializer,
    ManagerAddInputSerializer,
    ManagerOutputSerializer,
    artist_stats_representation,
)
from core.catalog import selectors as catalog_selectors
from core.catalog.serializers import AlbumOutputSerializer

TAGS = ["artists"]
# Room for the text fields and the multipart framing around an image.
_BODY_MARGIN_BYTES = 64 * 1024


def _refuse_oversized_body(request: Request, field: str) -> None:
    """Refuse from Content-Length alone, before a huge body is read into temporary files."""
    length = parse_int(request.META.get("CONTENT_LENGTH")) or 0
    if length > settings.AVATAR_MAX_BYTES + _BODY_MARGIN_BYTES:
        raise InvalidInput(
            f"The request is larger than an image of {settings.AVATAR_MAX_BYTES} bytes allows.",
            field=field,
            code="file_too_large",
        )


def _multipart_null(data: dict, field: str) -> dict:
    """An empty multipart value removes the file, as null does in JSON."""
    if hasattr(data, "get") and data.get(field) == "":
        return {**data.dict(), field: None} if hasattr(data, "dict") else {**data, field: None}
    return data


class ArtistDetailView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = (JSONParser, MultiPartParser)

    @extend_schema(
        tags=TAGS,
        operation_id="artists_retrieve",
        summary="An artist's page: profile, albums, top tracks of the last 30 days",
        responses={200: ArtistDetailOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(artist_payload(user=request.user, artist_id=pk))

    @extend_schema(
        tags=TAGS,
        operation_id="artists_partial_update",
        summary="Edit an artist's profile (JSON, or multipart to upload an image)",
        description="The artist's managers, moderators and staff; 404 for anyone else.",
        request={
            "application/json": ArtistUpdateInputSerializer,
            "multipart/form-data": ArtistUpdateInputSerializer,
        },
        responses={200: ArtistDetailOutputSerializer, **error_responses(400, 401, 404)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        _refuse_oversized_body(request, "image")
        data = ArtistUpdateInputSerializer(data=_multipart_null(request.data, "image"))
        data.is_valid(raise_exception=True)
        services.artist_profile_update(user=request.user, artist_id=pk, **data.validated_data)
        return Response(artist_payload(user=request.user, artist_id=pk))


class AlbumDetailView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = (JSONParser, MultiPartParser)

    def _payload(self, request: Request, pk: int) -> dict:
        album = catalog_selectors.album_list(request.user).filter(pk=pk).first()
        if album is None:
            raise NotFound("Album not found.")
        manages = request.user.is_authenticated and can_manage_artist(request.user, album.artist_id)
        serializer = AlbumManagerOutputSerializer if manages else AlbumOutputSerializer
        return serializer(album, context={"request": request}).data

    @extend_schema(
        tags=["albums"],
        operation_id="albums_retrieve",
        summary="An album",
        description="A hidden album is a 404 but for its artist's managers, moderators and "
        "staff, who also see `is_hidden` and `hidden_role`.",
        responses={
            200: PolymorphicProxySerializer(
                component_name="AlbumPayload",
                serializers=[AlbumOutputSerializer, AlbumManagerOutputSerializer],
                resource_type_field_name=None,
            ),
            **error_responses(404),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(self._payload(request, pk))

    @extend_schema(
        tags=["albums"],
        operation_id="albums_partial_update",
        summary="Edit an album: title, year, artwork, the order of its tracks, hiding",
        description="The album's artist's managers, moderators and staff; 404 for anyone else. "
        "A manager cannot lift a hide by a moderator or staff (403).",
        request={
            "application/json": AlbumUpdateInputSerializer,
            "multipart/form-data": AlbumUpdateInputSerializer,
        },
        responses={200: AlbumManagerOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        _refuse_oversized_body(request, "artwork")
        data = AlbumUpdateInputSerializer(data=_multipart_null(request.data, "artwork"))
        data.is_valid(raise_exception=True)
        services.album_update(user=request.user, album_id=pk, **data.validated_data)
        return Response(self._payload(request, pk))


class ArtistManagersView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="artist_managers_list",
        summary="An artist's managers (to its managers, moderators and staff)",
        responses={200: ManagerOutputSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        services.managed_artist(user=request.user, artist_id=pk)
        managers = selectors.artist_managers(pk)
        return Response(ManagerOutputSerializer(managers, many=True).data)

    @extend_schema(
        tags=TAGS,
        operation_id="artist_managers_add",
        summary="Make a user a manager of the artist",
        description="By a manager of the artist, a moderator or staff; adding a manager again "
        "answers 200 and changes nothing.",
        request=ManagerAddInputSerializer,
        responses={
            201: ManagerOutputSerializer,
            200: ManagerOutputSerializer,
            **error_responses(400, 401, 404),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        data = ManagerAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        manager, created = services.manager_add(
            by=request.user, artist_id=pk, username=data.validated_data["username"]
        )
        return Response(
            ManagerOutputSerializer(manager).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ArtistManagerDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="artist_managers_remove",
        summary="Remove a manager of the artist",
        description="A manager may remove another manager or themselves, but the last manager "
        "cannot leave (409 `last_manager`); moderators and staff may remove anyone.",
        request=None,
        responses={204: None, **error_responses(401, 404, 409)},
    )
    def delete(self, request: Request, pk: int, username: str) -> Response:
        services.manager_remove(by=request.user, artist_id=pk, username=username)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ArtistStatsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="artist_stats",
        summary="An artist's statistics (its managers, moderators and staff; 404 for others)",
        description="Counted listens, unique listeners and minutes per day of the period (in "
        "`tz`, default your profile's time zone), listens by hour of day, top tracks, "
        "favorites, playlist adds and new followers per day.",
        parameters=[ArtistStatsQueryInputSerializer],
        responses={200: ArtistStatsOutputSerializer, **error_responses(400, 401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        services.managed_artist(user=request.user, artist_id=pk)
        data = ArtistStatsQueryInputSerializer(data=request.query_params.dict())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        figures = stats.artist_stats(
            artist_id=pk,
            period=values["period"],
            tz=ZoneInfo(values.get("tz") or request.user.time_zone),
            first=values.get("from"),
            last=values.get("to"),
            limit=values["limit"],
        )
        return Response(artist_stats_representation(figures))


class ArtistFollowView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def _state(self, pk: int, following: bool) -> Response:
        count = selectors.follower_count(pk)
        return Response(
            FollowStateOutputSerializer({"following": following, "follower_count": count}).data
        )

    @extend_schema(
        tags=TAGS,
        operation_id="artist_follow",
        summary="Follow an artist (idempotent): its releases enter your feed",
        request=None,
        responses={200: FollowStateOutputSerializer, **error_responses(401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        services.artist_follow(user=request.user, artist_id=pk)
        return self._state(pk, True)

    @extend_schema(
        tags=TAGS,
        operation_id="artist_unfollow",
        summary="Stop following an artist (idempotent)",
        request=None,
        responses={200: FollowStateOutputSerializer, **error_responses(401, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        services.artist_unfollow(user=request.user, artist_id=pk)
        return self._state(pk, False)


class UserFollowView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="user_follow",
        summary="Follow a person whose profile is public (idempotent)",
        description="A private profile, or an unknown or inactive account, is a 404.",
        request=None,
        responses={200: FollowStateOutputSerializer, **error_responses(400, 401, 404)},
    )
    def post(self, request: Request, username: str) -> Response:
        services.user_follow(user=request.user, username=username)
        return Response(FollowStateOutputSerializer({"following": True}).data)

    @extend_schema(
        tags=TAGS,
        operation_id="user_unfollow",
        summary="Stop following a person (idempotent)",
        request=None,
        responses={200: FollowStateOutputSerializer, **error_responses(401, 404)},
    )
    def delete(self, request: Request, username: str) -> Response:
        services.user_unfollow(user=request.user, username=username)
        return Response(FollowStateOutputSerializer({"following": False}).data)


class FollowingView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="me_following",
        summary="The artists (or, with kind=users, the people) I follow, newest first",
        parameters=[FollowingQueryInputSerializer],
        responses={200: FollowingPageOutputSerializer, **error_responses(400, 401)},
    )
    def get(self, request: Request) -> Response:
        data = FollowingQueryInputSerializer(data=request.query_params.dict())
        data.is_valid(raise_exception=True)
        paginator = PageNumberPagination()
        if data.validated_data["kind"] == "users":
            rows, serializer = selectors.followed_users(request.user), FollowedUserOutputSerializer
        else:
            rows = selectors.followed_artists(request.user)
            serializer = FollowedArtistOutputSerializer
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(serializer(page, many=True).data)


class FeedView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        operation_id="me_feed",
        summary="New releases by the artists I follow, newest first (cursor pages)",
        description="Tracks that became ready and albums released, by artists you follow; with "
        "`include=friends`, also the public playlists the people you follow created and the "
        "favorites of those whose profile is public. Pass `next` back as `cursor`.",
        parameters=[
            FeedQueryInputSerializer,
            OpenApiParameter("cursor", str, description="`next` of the previous page."),
        ],
        responses={200: FeedPageOutputSerializer, **error_responses(400, 401)},
    )
    def get(self, request: Request) -> Response:
        data = FeedQueryInputSerializer(data=request.query_params.dict())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        cursor = feed.Cursor.decode(values["cursor"]) if values.get("cursor") else None
        items, following = feed.feed_page(
            user=request.user,
            cursor=cursor,
            limit=values["page_size"],
            friends=values.get("include") == "friends",
        )
        return Response(
            {
                "results": feed_payloads(items, request),
                "next": following.encode() if following else None,
            }
        )
