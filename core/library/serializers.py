from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.catalog.serializers import TrackOutputSerializer
from core.library.models import Favorite, HistoryEntry, ListenSource, Play
from core.processing.selectors import ORIGINAL, STREAM_QUALITIES


class StreamInputSerializer(serializers.Serializer):
    client = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="The player's name for the history entry; defaults to the User-Agent.",
    )
    quality = serializers.ChoiceField(
        choices=STREAM_QUALITIES,
        default=ORIGINAL,
        help_text="`original` (the uploaded file), or a streaming variant: `normal` (AAC about "
        "128 kbps) or `low` (AAC about 64 kbps). A track without that variant (see its "
        "`qualities`) streams the original; the response says which one it gives.",
    )


class StreamOutputSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Presigned GET on the audio; honours Range requests.")
    expires_at = serializers.DateTimeField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes of the quality served")
    duration = serializers.FloatField(allow_null=True, help_text="Seconds; null when unknown")
    play_id = serializers.IntegerField(help_text="History entry to report progress on")
    quality = serializers.ChoiceField(
        choices=STREAM_QUALITIES, help_text="The quality served: asked for, or `original`."
    )


class PreviewOutputSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="Presigned GET on the 30-second MP3 preview.")
    expires_at = serializers.DateTimeField()
    content_type = serializers.CharField()
    start = serializers.FloatField(help_text="Seconds into the track where the preview starts")
    length = serializers.FloatField(help_text="Seconds of audio in the preview")


class ProgressInputSerializer(serializers.Serializer):
    played_seconds = serializers.FloatField(
        min_value=0,
        help_text="How far playback got; at most the track's duration (plus 1 s of slack).",
    )


class ProgressOutputSerializer(serializers.ModelSerializer):
    play_id = serializers.IntegerField(source="pk", read_only=True)

    class Meta:
        model = Play
        fields = ["play_id", "played_seconds", "counted"]
        read_only_fields = fields


class FavoriteStateOutputSerializer(serializers.Serializer):
    is_favorite = serializers.BooleanField()


class FavoriteOutputSerializer(serializers.ModelSerializer):
    track = TrackOutputSerializer(read_only=True)
    favorited_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Favorite
        fields = ["track", "favorited_at"]
        read_only_fields = fields


class HistoryFilterSerializer(serializers.Serializer):
    since = serializers.DateTimeField(
        required=False, help_text="Entries started at or after this ISO 8601 time."
    )
    until = serializers.DateTimeField(
        required=False, help_text="Entries started at or before this ISO 8601 time."
    )
    counted = serializers.BooleanField(
        required=False, help_text="`true`: counted listens only; `false`: uncounted only."
    )

    def validate(self, attrs: dict) -> dict:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise serializers.ValidationError({"until": ["Must not be before `since`."]})
        return attrs


class ExternalTrackOutputSerializer(serializers.Serializer):
    artist = serializers.CharField()
    title = serializers.CharField()
    album = serializers.CharField(help_text="Empty when the source named none")


class HistoryEntryOutputSerializer(serializers.ModelSerializer):
    play_id = serializers.IntegerField(
        allow_null=True,
        help_text="The stream's entry, to report progress on; null for a listen heard elsewhere",
    )
    track = TrackOutputSerializer(
        read_only=True, allow_null=True, help_text="null for a listen not matched to the catalog"
    )
    source = serializers.ChoiceField(
        choices=ListenSource.choices,
        help_text="`tonearm` (streamed here), `spotify`, `lastfm`, `listenbrainz` (imported), "
        "`scrobble` (sent by another player)",
    )
    external = serializers.SerializerMethodField(
        help_text="For a listen not matched to the catalog: its names as the source gave them"
    )

    class Meta:
        model = HistoryEntry
        fields = [
            "play_id",
            "track",
            "started_at",
            "client",
            "played_seconds",
            "counted",
            "source",
            "external",
        ]
        read_only_fields = fields

    @extend_schema_field(ExternalTrackOutputSerializer(allow_null=True))
    def get_external(self, entry: HistoryEntry) -> dict | None:
        if entry.track_id is not None:
            return None
        return {"artist": entry.artist, "title": entry.title, "album": entry.album}


class HistoryClearedOutputSerializer(serializers.Serializer):
    deleted = serializers.IntegerField(help_text="How many history entries were deleted")
