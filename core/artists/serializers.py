from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from core.catalog.models import Album, Artist
from core.catalog.serializers import (
    AlbumOutputSerializer,
    ArtistRefSerializer,
    UserRefSerializer,
    hidden_role_field,
    track_payload_schema,
)
from core.insights.serializers import StatsQueryInputSerializer
from core.text import validate_name, validate_text

FOLLOWING_KINDS = ["artists", "users"]
FEED_KINDS = ["track", "album", "playlist", "favorite"]
IMAGE_HELP = (
    "A PNG, JPEG, WebP or GIF image (multipart), stored re-encoded as WebP at 64, 256 and 512 "
    "pixels without metadata; null (JSON) or an empty value removes it."
)
_IMAGE_URLS = serializers.DictField(
    child=serializers.URLField(),
    allow_null=True,
    help_text='URLs of the image by side in pixels: {"64": url, "256": url, "512": url}; null '
    "without one.",
)


class ArtistAlbumOutputSerializer(serializers.ModelSerializer):
    track_count = serializers.IntegerField(read_only=True, help_text="Playable tracks.")
    is_hidden = serializers.BooleanField(
        read_only=True,
        help_text="Hidden from listeners: only its artist's managers, moderators and staff "
        "see such an album here.",
    )

    class Meta:
        model = Album
        fields = ["id", "title", "year", "artwork", "track_count", "is_hidden"]
        read_only_fields = fields


class AlbumManagerOutputSerializer(AlbumOutputSerializer):
    """An album as its artist's managers, moderators and staff see it: whether it is hidden,
    and whose hide it is."""

    hidden_role = hidden_role_field()

    class Meta(AlbumOutputSerializer.Meta):
        fields = [*AlbumOutputSerializer.Meta.fields, "is_hidden", "hidden_role"]
        read_only_fields = fields


class ArtistTopTrackOutputSerializer(serializers.Serializer):
    track = track_payload_schema()
    listens = serializers.IntegerField(help_text="Counted listens in the last 30 days.")


class ArtistDetailOutputSerializer(serializers.ModelSerializer):
    """An artist's page. Built by `artist_payload` from `selectors.artist_get`."""

    image = serializers.SerializerMethodField()
    track_count = serializers.IntegerField(read_only=True, help_text="Playable tracks.")
    listen_count = serializers.IntegerField(
        read_only=True, help_text="All-time counted listens of its playable tracks."
    )
    is_favorite = serializers.BooleanField(
        read_only=True, help_text="One of the caller's favorites (false when anonymous)."
    )
    is_following = serializers.BooleanField(read_only=True)
    can_manage = serializers.SerializerMethodField()
    top_tracks = serializers.SerializerMethodField()
    albums = serializers.SerializerMethodField()

    class Meta:
        model = Artist
        fields = [
            "id",
            "name",
            "bio",
            "links",
            "image",
            "track_count",
            "is_favorite",
            "follower_count",
            "is_following",
            "listen_count",
            "can_manage",
            "top_tracks",
            "albums",
            "created_at",
        ]
        read_only_fields = fields

    def get_can_manage(self, artist: Artist) -> bool:
        """Whether you may edit this artist and read its statistics."""
        return self.context["can_manage"]

    @extend_schema_field(ArtistTopTrackOutputSerializer(many=True))
    def get_top_tracks(self, artist: Artist) -> list[dict]:
        return self.context["top_tracks"]

    @extend_schema_field(ArtistAlbumOutputSerializer(many=True))
    def get_albums(self, artist: Artist) -> list[dict]:
        return ArtistAlbumOutputSerializer(self.context["albums"], many=True).data

    @extend_schema_field(_IMAGE_URLS)
    def get_image(self, artist: Artist) -> dict | None:
        from core.artists.selectors import image_urls

        return image_urls(artist.image_files)


class ArtistUpdateInputSerializer(serializers.Serializer):
    bio = serializers.CharField(
        max_length=5000,
        allow_blank=True,
        required=False,
        trim_whitespace=False,
        validators=[validate_text],
    )
    links = serializers.ListField(
        child=serializers.CharField(max_length=500),
        max_length=10,
        required=False,
        help_text="https URLs on sites of the ARTIST_LINK_HOSTS allowlist (Wikipedia, "
        "YouTube, Bandcamp, SoundCloud, MusicBrainz, ...); replaces the list.",
    )
    image = serializers.FileField(required=False, allow_null=True, help_text=IMAGE_HELP)


class AlbumUpdateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, validators=[validate_name])
    year = serializers.IntegerField(min_value=1000, max_value=9999, required=False, allow_null=True)
    artwork = serializers.FileField(
        required=False,
        allow_null=True,
        help_text="A PNG, JPEG, WebP or GIF image (multipart), stored re-encoded at most "
        "640x640 without metadata; null removes it.",
    )
    track_order = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=1000,
        required=False,
        help_text="Every track id of the album once, in their new order: their track numbers "
        "become 1 to n.",
    )
    is_hidden = serializers.BooleanField(
        required=False,
        help_text="Hide the album from listeners (lists, its page, the artist's page, feeds; "
        "its tracks keep their own state) or show it again. A hide by a moderator or staff is "
        "lifted only by a moderator or staff (403 `hidden_by_moderation`).",
    )


class ManagerOutputSerializer(serializers.Serializer):
    user = UserRefSerializer()
    added_by = UserRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class ManagerAddInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)


class FollowStateOutputSerializer(serializers.Serializer):
    following = serializers.BooleanField()
    follower_count = serializers.IntegerField(required=False)


class FollowedArtistOutputSerializer(serializers.Serializer):
    artist = ArtistRefSerializer(read_only=True)
    followed_at = serializers.DateTimeField(source="created_at")


class FollowedUserOutputSerializer(serializers.Serializer):
    user = UserRefSerializer(source="followed", read_only=True)
    followed_at = serializers.DateTimeField(source="created_at")


class FollowingPageOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PolymorphicProxySerializer(
        component_name="FollowedItem",
        serializers=[FollowedArtistOutputSerializer, FollowedUserOutputSerializer],
        resource_type_field_name=None,
        many=True,
    )


class FollowingQueryInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=FOLLOWING_KINDS, default="artists", help_text="Whom to list."
    )


class FeedQueryInputSerializer(serializers.Serializer):
    cursor = serializers.CharField(required=False, max_length=200)
    page_size = serializers.IntegerField(min_value=1, max_value=100, default=20)
    include = serializers.ChoiceField(
        choices=["friends"],
        required=False,
        help_text="`friends`: add the public playlists and, from public profiles, the "
        "favorites of the people you follow.",
    )


class PlaylistRefOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FeedItemOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FEED_KINDS)
    at = serializers.DateTimeField(help_text="When it was released, created or favorited.")
    artist = ArtistRefSerializer(allow_null=True)
    track = track_payload_schema()
    album = AlbumOutputSerializer(allow_null=True)
    playlist = PlaylistRefOutputSerializer(allow_null=True)
    user = UserRefSerializer(allow_null=True, help_text="The person, for friends' items.")


class FeedPageOutputSerializer(serializers.Serializer):
    results = FeedItemOutputSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="The cursor of the next page.")


class ArtistStatsQueryInputSerializer(StatsQueryInputSerializer):
    pass


class DayCountOutputSerializer(serializers.Serializer):
    date = serializers.DateField()
    count = serializers.IntegerField()


class DayListeningOutputSerializer(serializers.Serializer):
    date = serializers.DateField()
    listens = serializers.IntegerField()
    listeners = serializers.IntegerField()
    minutes = serializers.FloatField()


class StatsTopTrackOutputSerializer(serializers.Serializer):
    track_id = serializers.IntegerField()
    title = serializers.CharField()
    listens = serializers.IntegerField()
    minutes = serializers.FloatField()


class ArtistStatsTotalsOutputSerializer(serializers.Serializer):
    listens = serializers.IntegerField()
    listeners = serializers.IntegerField(help_text="Unique listeners over the period.")
    minutes = serializers.FloatField()


class ArtistStatsPeriodOutputSerializer(serializers.Serializer):
    def get_fields(self) -> dict:
        return {"from": serializers.DateField(), "to": serializers.DateField()}


class ArtistStatsOutputSerializer(serializers.Serializer):
    period = ArtistStatsPeriodOutputSerializer()
    time_zone = serializers.CharField()
    totals = ArtistStatsTotalsOutputSerializer()
    daily = DayListeningOutputSerializer(many=True)
    by_hour = serializers.ListField(
        child=serializers.IntegerField(), help_text="Counted listens by local hour, 0 to 23."
    )
    top_tracks = StatsTopTrackOutputSerializer(many=True)
    favorites = DayCountOutputSerializer(many=True)
    playlist_adds = DayCountOutputSerializer(many=True)
    new_followers = DayCountOutputSerializer(many=True)


def artist_stats_representation(figures: dict) -> dict:
    """What ArtistStatsOutputSerializer(figures).data holds, built directly: a long period's
    daily series made the serializer most of the view's time (four fields of a serializer per
    day and series). tests/artists/test_stats.py holds the two equal."""

    def counts(rows: list[dict]) -> list[dict]:
        return [{"date": row["date"].isoformat(), "count": int(row["count"])} for row in rows]

    totals = figures["totals"]
    return {
        "period": {key: figures["period"][key].isoformat() for key in ("from", "to")},
        "time_zone": str(figures["time_zone"]),
        "totals": {
            "listens": int(totals["listens"]),
            "listeners": int(totals["listeners"]),
            "minutes": float(totals["minutes"]),
        },
        "daily": [
            {
                "date": row["date"].isoformat(),
                "listens": int(row["listens"]),
                "listeners": int(row["listeners"]),
                "minutes": float(row["minutes"]),
            }
            for row in figures["daily"]
        ],
        "by_hour": [int(count) for count in figures["by_hour"]],
        "top_tracks": [
            {
                "track_id": int(row["track_id"]),
                "title": str(row["title"]),
                "listens": int(row["listens"]),
                "minutes": float(row["minutes"]),
            }
            for row in figures["top_tracks"]
        ],
        "favorites": counts(figures["favorites"]),
        "playlist_adds": counts(figures["playlist_adds"]),
        "new_followers": counts(figures["new_followers"]),
    }
