from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from core.catalog.models import Album, Artist, Genre, HiddenRole, Track
from core.catalog.querysets import variant_flag
from core.processing.models import TrackMedia, VariantQuality
from core.processing.selectors import ORIGINAL, STREAM_QUALITIES, artwork_urls
from core.roles import can_moderate
from core.text import validate_name


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


class LoudnessOutputSerializer(serializers.Serializer):
    lufs = serializers.FloatField(help_text="Integrated loudness (EBU R128), LUFS")
    true_peak_db = serializers.FloatField(allow_null=True, help_text="True peak, dBTP")
    replay_gain_db = serializers.FloatField(
        allow_null=True,
        help_text="Gain that brings the track to -18 LUFS (ReplayGain 2.0), dB; null for silence",
    )


class AudioPropertiesOutputSerializer(serializers.Serializer):
    codec = serializers.CharField(help_text="e.g. mp3, flac, aac, opus, pcm_s16le")
    container = serializers.CharField(help_text="e.g. mp3, flac, ogg, mov,mp4,m4a, wav")
    bitrate = serializers.IntegerField(allow_null=True, help_text="Bits per second")
    sample_rate = serializers.IntegerField(allow_null=True, help_text="Hz")
    channels = serializers.IntegerField(allow_null=True)


class SyncedLyricsLineOutputSerializer(serializers.Serializer):
    time = serializers.FloatField(help_text="Seconds from the start")
    text = serializers.CharField()


def _media(track: Track) -> TrackMedia | None:
    """What processing found, or None before it first ran (the reverse one-to-one is empty)."""
    return getattr(track, "media", None)


def rating_average(*, count: int, total: int) -> float | None:
    """The mean of the stars to two decimals (half up), as a JSON number; None unrated."""
    if not count:
        return None
    average = Decimal(total) / Decimal(count)
    return float(average.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class RatingFieldsMixin(serializers.Serializer):
    """`my_rating` (annotated by the selector), `rating_average` and `rating_count` (the
    counters kept on the row by core/ratings): no query per item."""

    my_rating = serializers.SerializerMethodField()
    rating_average = serializers.SerializerMethodField()
    rating_count = serializers.IntegerField(read_only=True)

    RATING_FIELDS = ["my_rating", "rating_average", "rating_count"]

    @extend_schema_field(serializers.IntegerField(min_value=1, max_value=5, allow_null=True))
    def get_my_rating(self, item) -> int | None:
        return getattr(item, "my_rating", None)

    @extend_schema_field(
        serializers.DecimalField(
            max_digits=3, decimal_places=2, allow_null=True, coerce_to_string=False
        )
    )
    def get_rating_average(self, item) -> float | None:
        return rating_average(count=item.rating_count, total=item.rating_total)


class TrackOutputSerializer(RatingFieldsMixin, serializers.ModelSerializer):
    """A track as listeners see it. Expects a queryset from `Track.objects.for_listing()`
    annotated by `with_favorite_flag(user)`."""

    artist = ArtistRefSerializer(read_only=True)
    album = AlbumRefSerializer(read_only=True, allow_null=True)
    genres = GenreRefSerializer(many=True, read_only=True)
    is_favorite = serializers.SerializerMethodField()
    artwork = serializers.SerializerMethodField()
    loudness = serializers.SerializerMethodField()
    qualities = serializers.SerializerMethodField()

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
            "artwork",
            "loudness",
            "qualities",
            "is_favorite",
            "listen_count",
            "preview_allowed",
            "preview_start",
            *RatingFieldsMixin.RATING_FIELDS,
            "created_at",
        ]
        read_only_fields = fields

    def get_is_favorite(self, track: Track) -> bool:
        return bool(getattr(track, "is_favorite", False))

    @extend_schema_field(
        serializers.DictField(
            child=serializers.URLField(),
            allow_null=True,
            help_text="Signed, expiring URLs of square JPEG thumbnails of the cover by size in "
            'pixels: {"64": url, "256": url, "640": url}; null without a cover.',
        )
    )
    def get_artwork(self, track: Track) -> dict[str, str] | None:
        urls = artwork_urls(_media(track), expires_in=settings.AWS_QUERYSTRING_EXPIRE)
        return urls or None

    @extend_schema_field(LoudnessOutputSerializer(allow_null=True))
    def get_loudness(self, track: Track) -> dict | None:
        media = _media(track)
        if media is None or media.loudness_lufs is None:
            return None
        return {
            "lufs": media.loudness_lufs,
            "true_peak_db": media.true_peak_db,
            "replay_gain_db": media.replay_gain_db,
        }

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=STREAM_QUALITIES),
            help_text="What `quality` of the stream endpoint serves as asked: always "
            "`original`, plus the streaming variants made for this track.",
        )
    )
    def get_qualities(self, track: Track) -> list[str]:
        if all(hasattr(track, variant_flag(q)) for q in VariantQuality.values):
            present = {q for q in VariantQuality.values if getattr(track, variant_flag(q))}
        else:  # a track not read through for_listing()
            present = set(track.variants.values_list("quality", flat=True))
        return [ORIGINAL, *(q for q in VariantQuality.values if q in present)]


class TrackDetailFieldsMixin(serializers.Serializer):
    """What a single track's payload adds to the list one: the waveform, lyrics and the audio
    properties of the original. Expects `for_listing(detail=True)`."""

    waveform = serializers.SerializerMethodField()
    lyrics = serializers.SerializerMethodField()
    lyrics_synced = serializers.SerializerMethodField()
    audio = serializers.SerializerMethodField()

    DETAIL_FIELDS = ["waveform", "lyrics", "lyrics_synced", "audio"]

    @extend_schema_field(
        serializers.ListField(
            child=serializers.FloatField(min_value=0, max_value=1),
            help_text="Peaks from 0 to 1 over the track (1,000 points) for scrubbing; "
            "empty until processed.",
        )
    )
    def get_waveform(self, track: Track) -> list[float]:
        media = _media(track)
        return media.waveform if media is not None else []

    def get_lyrics(self, track: Track) -> str:
        """The track's plain lyrics (as /api/tracks/{id}/lyrics/ gives them); empty if none."""
        lyrics = getattr(track, "lyrics", None)
        return lyrics.plain if lyrics is not None else ""

    @extend_schema_field(SyncedLyricsLineOutputSerializer(many=True))
    def get_lyrics_synced(self, track: Track) -> list[dict]:
        lyrics = getattr(track, "lyrics", None)
        if lyrics is None:
            return []
        return [{"time": line["time_ms"] / 1000, "text": line["text"]} for line in lyrics.synced]

    @extend_schema_field(AudioPropertiesOutputSerializer(allow_null=True))
    def get_audio(self, track: Track) -> dict | None:
        media = _media(track)
        if media is None or not media.codec:
            return None
        return {
            "codec": media.codec,
            "container": media.container,
            "bitrate": media.bitrate,
            "sample_rate": media.sample_rate,
            "channels": media.channels,
        }


class TrackDetailOutputSerializer(TrackDetailFieldsMixin, TrackOutputSerializer):
    """One track as listeners see it, with its waveform, lyrics and audio properties."""

    class Meta(TrackOutputSerializer.Meta):
        fields = [*TrackOutputSerializer.Meta.fields, *TrackDetailFieldsMixin.DETAIL_FIELDS]
        read_only_fields = fields


def hidden_role_field() -> serializers.ChoiceField:
    """Whose hide a hidden track or album is; empty while it is not hidden."""
    return serializers.ChoiceField(
        choices=HiddenRole.choices,
        allow_blank=True,
        read_only=True,
        help_text="Whose hide it is (only that hand or a stronger one lifts it); empty when shown.",
    )


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class TrackManagerOutputSerializer(TrackOutputSerializer):
    """A track as the managers of its artist see it: its processing and hiding state too, but
    not the upload's own details (where the file is stored, its checksum, who uploaded it),
    which belong to the uploader, moderators and staff. Expects what TrackOutputSerializer
    does."""

    hidden_role = hidden_role_field()

    class Meta(TrackOutputSerializer.Meta):
        fields = [
            *TrackOutputSerializer.Meta.fields,
            "status",
            "failure_reason",
            "is_hidden",
            "hidden_role",
            "updated_at",
        ]
        read_only_fields = fields


class TrackOwnerOutputSerializer(TrackManagerOutputSerializer):
    """A track as its uploader, moderators and staff see it: upload state and storage details
    too. Expects `for_listing().with_uploader()` annotated by `with_favorite_flag(user)`."""

    checksum = serializers.CharField(source="checksum_sha256", read_only=True)
    uploaded_by = UserRefSerializer(
        read_only=True, allow_null=True, help_text="null once the uploader deleted their account"
    )

    class Meta(TrackManagerOutputSerializer.Meta):
        fields = [
            *TrackManagerOutputSerializer.Meta.fields,
            "storage_key",
            "checksum",
            "uploaded_by",
        ]
        read_only_fields = fields


class TrackManagerDetailOutputSerializer(TrackDetailFieldsMixin, TrackManagerOutputSerializer):
    """One track as its artist's managers see it, with the detail fields."""

    class Meta(TrackManagerOutputSerializer.Meta):
        fields = [*TrackManagerOutputSerializer.Meta.fields, *TrackDetailFieldsMixin.DETAIL_FIELDS]
        read_only_fields = fields


class TrackOwnerDetailOutputSerializer(TrackDetailFieldsMixin, TrackOwnerOutputSerializer):
    """One track as its uploader, moderators and staff see it, with the detail fields."""

    class Meta(TrackOwnerOutputSerializer.Meta):
        fields = [*TrackOwnerOutputSerializer.Meta.fields, *TrackDetailFieldsMixin.DETAIL_FIELDS]
        read_only_fields = fields


PUBLIC, MANAGER, OWNER = "public", "manager", "owner"


def payload_tier(*, user, uploaded_by_id: int | None, is_managed: bool) -> str:
    """Which payload a track gets for `user`: the owner one for its uploader, moderators and
    staff; the manager one for the managers of its artist; the public one else."""
    if can_moderate(user) or (user.is_authenticated and uploaded_by_id == user.pk):
        return OWNER
    return MANAGER if is_managed else PUBLIC


def _tier(track: Track, user) -> str:
    return payload_tier(
        user=user,
        uploaded_by_id=track.uploaded_by_id,
        is_managed=bool(getattr(track, "is_managed", False)),
    )


def track_payload(track: Track, user) -> dict:
    """A single track's payload for `user`, by `payload_tier`. Expects
    `selectors.track_get(..., detail=True)`."""
    serializer = {
        OWNER: TrackOwnerDetailOutputSerializer,
        MANAGER: TrackManagerDetailOutputSerializer,
        PUBLIC: TrackDetailOutputSerializer,
    }[_tier(track, user)]
    return serializer(track).data


def track_payloads(tracks, user) -> list[dict]:
    """List payloads (chosen as `track_payload` does) for a page of tracks, building each
    serializer's fields once (per-track serializers rebuilt them for every track: most of a
    page's cost, see docs/benchmarks.md)."""
    by_tier = {
        PUBLIC: TrackOutputSerializer(),
        MANAGER: TrackManagerOutputSerializer(),
        OWNER: TrackOwnerOutputSerializer(),
    }
    return [by_tier[_tier(track, user)].to_representation(track) for track in tracks]


def track_detail_payload_schema() -> PolymorphicProxySerializer:
    """OpenAPI annotation for `track_payload`: either detail payload."""
    return PolymorphicProxySerializer(
        component_name="TrackDetailPayload",
        serializers=[
            TrackDetailOutputSerializer,
            TrackManagerDetailOutputSerializer,
            TrackOwnerDetailOutputSerializer,
        ],
        resource_type_field_name=None,
    )


def track_payload_schema(*, many: bool = False) -> PolymorphicProxySerializer:
    """OpenAPI annotation for `track_payloads`: either list payload."""
    return PolymorphicProxySerializer(
        component_name="TrackPayload",
        serializers=[
            TrackOutputSerializer,
            TrackManagerOutputSerializer,
            TrackOwnerOutputSerializer,
        ],
        resource_type_field_name=None,
        many=many,
    )


class ArtistOutputSerializer(serializers.ModelSerializer):
    track_count = serializers.IntegerField(read_only=True, help_text="Playable tracks.")
    is_favorite = serializers.BooleanField(
        read_only=True, help_text="One of the caller's favorites (false when anonymous)."
    )
    is_following = serializers.BooleanField(read_only=True, help_text="Whether you follow it.")

    class Meta:
        model = Artist
        fields = [
            "id",
            "name",
            "track_count",
            "is_favorite",
            "follower_count",
            "is_following",
            "created_at",
        ]
        read_only_fields = fields


class AlbumOutputSerializer(RatingFieldsMixin, serializers.ModelSerializer):
    artist = ArtistRefSerializer(read_only=True)
    track_count = serializers.IntegerField(read_only=True, help_text="Playable tracks.")
    listen_count = serializers.IntegerField(
        read_only=True, help_text="All-time counted listens of its playable tracks."
    )
    is_favorite = serializers.BooleanField(
        read_only=True, help_text="One of the caller's favorites (false when anonymous)."
    )

    class Meta:
        model = Album
        fields = [
            "id",
            "title",
            "artist",
            "year",
            "artwork",
            "track_count",
            "listen_count",
            "is_favorite",
            *RatingFieldsMixin.RATING_FIELDS,
            "created_at",
        ]
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
    title = serializers.CharField(max_length=300, validators=[validate_name])
    artist = serializers.CharField(
        max_length=200, required=False, validators=[validate_name], help_text="Artist name."
    )
    artist_id = serializers.IntegerField(min_value=1, required=False)
    album = serializers.CharField(
        max_length=200,
        required=False,
        allow_null=True,
        allow_blank=True,
        validators=[validate_name],
        help_text="Album title under the track's artist, created if new; null or empty for none.",
    )
    genre = serializers.CharField(
        max_length=100, required=False, validators=[validate_name], help_text="One genre name."
    )
    genres = serializers.ListField(
        child=serializers.CharField(max_length=100, validators=[validate_name]),
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
    title = serializers.CharField(
        max_length=300,
        required=False,
        validators=[validate_name],
        help_text="Left out: the file's title tag, else the file name without its extension.",
    )
    artist = serializers.CharField(
        max_length=200,
        required=False,
        validators=[validate_name],
        help_text="Artist name. Left out (with artist_id): the file's artist tag, else "
        '"Unknown artist".',
    )


class TrackUpdateInputSerializer(_TrackMetadataInputSerializer):
    title = serializers.CharField(max_length=300, required=False, validators=[validate_name])
    is_hidden = serializers.BooleanField(
        required=False,
        help_text="Moderators, staff and the artist's managers; a hide by a moderator or staff is "
        "lifted only by a moderator or staff (403 `hidden_by_moderation`).",
    )
    preview_allowed = serializers.BooleanField(
        required=False, help_text="False: no anonymous preview, no player on public pages."
    )
    preview_start = serializers.FloatField(
        min_value=0,
        max_value=86_400,
        required=False,
        allow_null=True,
        help_text="Seconds where the 30-second preview starts; null: the loudest 30 seconds. "
        "The preview is cut again in the background.",
    )
