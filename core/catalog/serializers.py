from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from core.catalog.models import Album, Artist, Genre, Track
from core.roles import can_moderate
from media_pipeline.api import PresignedPartOutputSerializer


class GenreRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Genre
        fields = ["id", "name"]


class ArtistRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Artist
        fields = ["id", "name"]


class AlbumRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Album
        fields = ["id", "title", "year"]


class TrackOutputSerializer(serializers.ModelSerializer):
    """A track as listeners see it. Expects a queryset from `Track.objects.for_listing()`
    annotated by `with_favorite_flag(user)`."""

    artist = ArtistRefSerializer(read_only=True)
    album = AlbumRefSerializer(read_only=True, allow_null=True)
    genres = GenreRefSerializer(many=True, read_only=True)
    is_favorite = serializers.SerializerMethodField()

    class Meta:
        model = Track
        fields = [
            "id",
            "title",
            "artist",
            "album",
            "genres",
            "track_number",
            "year",
            "duration",
            "content_type",
            "size",
            "is_favorite",
            "created_at",
        ]
        read_only_fields = fields

    def get_is_favorite(self, track: Track) -> bool:
        return bool(getattr(track, "is_favorite", False))


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class TrackOwnerOutputSerializer(TrackOutputSerializer):
    """A track as its uploader, moderators and staff see it: upload state and storage details
    too. Expects `for_listing().with_uploader()` annotated by `with_favorite_flag(user)`."""

    checksum = serializers.CharField(source="checksum_sha256", read_only=True)
    uploaded_by = UserRefSerializer(read_only=True)

    class Meta(TrackOutputSerializer.Meta):
        fields = [
            *TrackOutputSerializer.Meta.fields,
            "status",
            "failure_reason",
            "is_hidden",
            "storage_key",
            "checksum",
            "uploaded_by",
            "updated_at",
        ]
        read_only_fields = fields


def track_payload(track: Track, user) -> dict:
    """The owner payload for the track's uploader, moderators and staff; the public one else."""
    if can_moderate(user) or (user.is_authenticated and track.uploaded_by_id == user.pk):
        return TrackOwnerOutputSerializer(track).data
    return TrackOutputSerializer(track).data


def track_payloads(tracks, user) -> list[dict]:
    """`track_payload` for a page of tracks, building each serializer's fields once (per-track
    serializers rebuilt them for every track: most of a page's cost, see docs/benchmarks.md)."""
    public, owner = TrackOutputSerializer(), TrackOwnerOutputSerializer()
    moderator = can_moderate(user)
    return [
        (
            owner
            if moderator or (user.is_authenticated and track.uploaded_by_id == user.pk)
            else public
        ).to_representation(track)
        for track in tracks
    ]


def track_payload_schema(*, many: bool = False) -> PolymorphicProxySerializer:
    """OpenAPI annotation for `track_payload`: either track payload."""
    return PolymorphicProxySerializer(
        component_name="TrackPayload",
        serializers=[TrackOutputSerializer, TrackOwnerOutputSerializer],
        resource_type_field_name=None,
        many=many,
    )


class ArtistOutputSerializer(serializers.ModelSerializer):
    track_count = serializers.IntegerField(read_only=True, help_text="Playable tracks.")

    class Meta:
        model = Artist
        fields = ["id", "name", "track_count", "created_at"]
        read_only_fields = fields


class AlbumOutputSerializer(serializers.ModelSerializer):
    artist = ArtistRefSerializer(read_only=True)
    track_count = serializers.IntegerField(read_only=True, help_text="Playable tracks.")

    class Meta:
        model = Album
        fields = ["id", "title", "artist", "year", "artwork", "track_count", "created_at"]
        read_only_fields = fields


class GenreOutputSerializer(serializers.ModelSerializer):
    track_count = serializers.IntegerField(read_only=True, help_text="Playable tracks.")

    class Meta:
        model = Genre
        fields = ["id", "name", "track_count"]
        read_only_fields = fields


def _clean_names(names: list[str]) -> list[str]:
    """Drop case-insensitive duplicates, keeping the first spelling."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


class _TrackMetadataInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    artist = serializers.CharField(max_length=200, required=False, help_text="Artist name.")
    artist_id = serializers.IntegerField(min_value=1, required=False)
    album = serializers.CharField(
        max_length=200,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Album title under the track's artist, created if new; null or empty for none.",
    )
    genre = serializers.CharField(max_length=100, required=False, help_text="One genre name.")
    genres = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        max_length=20,
        help_text="Genre names, created if new; replaces the track's genres.",
    )
    track_number = serializers.IntegerField(
        min_value=1, max_value=9999, required=False, allow_null=True
    )
    year = serializers.IntegerField(min_value=1000, max_value=9999, required=False, allow_null=True)

    def validate(self, data: dict) -> dict:
        if "artist" in data and "artist_id" in data:
            raise serializers.ValidationError({"artist": ["Give artist or artist_id, not both."]})
        if "genre" in data and "genres" in data:
            raise serializers.ValidationError({"genres": ["Give genre or genres, not both."]})
        if "genre" in data:
            data["genres"] = [data.pop("genre")]
        if "genres" in data:
            data["genres"] = _clean_names(data["genres"])
        if data.get("album") == "":
            data["album"] = None
        return data


class TrackRegisterInputSerializer(_TrackMetadataInputSerializer):
    upload_id = serializers.UUIDField()

    def validate(self, data: dict) -> dict:
        data = super().validate(data)
        if "artist" not in data and "artist_id" not in data:
            raise serializers.ValidationError({"artist": ["Give artist (a name) or artist_id."]})
        return data


class TrackUpdateInputSerializer(_TrackMetadataInputSerializer):
    title = serializers.CharField(max_length=300, required=False)
    is_hidden = serializers.BooleanField(required=False, help_text="Moderators only.")


class UploadStartInputSerializer(serializers.Serializer):
    filename = serializers.CharField(max_length=255, help_text="Kept as metadata only.")
    content_type = serializers.CharField(max_length=100, help_text="An audio type.")
    size = serializers.IntegerField(min_value=1, help_text="Exact size in bytes.")
    sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$",
        required=False,
        help_text="Hex SHA-256 of the file; the store then refuses other bytes.",
        error_messages={"invalid": "Must be 64 hexadecimal characters."},
    )


class UploadStartOutputSerializer(serializers.Serializer):
    upload_id = serializers.UUIDField()
    key = serializers.CharField()
    method = serializers.CharField(required=False, help_text="Single PUT only.")
    url = serializers.CharField(required=False, help_text="Single PUT only.")
    headers = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text="Single PUT only: send exactly these headers with the request.",
    )
    expires_at = serializers.DateTimeField(help_text="The URL(s) stop working at this time.")
    multipart = serializers.BooleanField(
        default=False, help_text="True over the multipart threshold: send `parts` instead."
    )
    part_size = serializers.IntegerField(
        required=False, help_text="Multipart only: bytes per part; the last holds the rest."
    )
    part_count = serializers.IntegerField(required=False, help_text="Multipart only.")
    parts = PresignedPartOutputSerializer(
        many=True,
        required=False,
        help_text="Multipart only: URLs for the first parts; ask /api/uploads/{id}/parts/ "
        "for the others.",
    )
