from rest_framework import serializers


class SyncedLineSerializer(serializers.Serializer):
    time_ms = serializers.IntegerField(help_text="Milliseconds from the start of the track")
    text = serializers.CharField(allow_blank=True)


class LyricsOutputSerializer(serializers.Serializer):
    plain = serializers.CharField(allow_blank=True)
    synced = SyncedLineSerializer(many=True, help_text="Timed lines in order; empty if none.")
    source = serializers.ChoiceField(
        choices=["tags", "lrc", "edited"],
        help_text="tags: read from the file; lrc: a .lrc file beside it at import; edited: "
        "set through this API.",
    )
    language = serializers.CharField(allow_blank=True, help_text="BCP 47 tag, or empty")


class LyricsInputSerializer(serializers.Serializer):
    plain = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=100_000,
        help_text="Plain lyrics.",
    )
    lrc = serializers.CharField(
        required=False,
        trim_whitespace=False,
        max_length=200_000,
        help_text="Timed lyrics in LRC ([mm:ss.xx] lines); fills `plain` too. A malformed "
        "line is a 400 naming its line number.",
    )
    language = serializers.CharField(required=False, allow_blank=True, max_length=35)

    def validate(self, data: dict) -> dict:
        if ("plain" in data) == ("lrc" in data):
            raise serializers.ValidationError({"plain": ["Give plain or lrc, not both."]})
        return data
