"""Input and output of the imports and scrobble-token API."""

from rest_framework import serializers

from core.history_import.models import HistoryImport, ScrobbleToken
from core.history_import.services import IMPORT_TYPES


class ImportUploadStartInputSerializer(serializers.Serializer):
    filename = serializers.CharField(max_length=300)
    content_type = serializers.CharField(
        max_length=100, help_text=f"One of: {', '.join(IMPORT_TYPES)}."
    )
    size = serializers.IntegerField(
        min_value=1, help_text="Exact byte count; at most IMPORT_MAX_BYTES (200 MB by default)."
    )
    sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$", required=False, help_text="Hex SHA-256 of the file, optional."
    )


class ImportCreateInputSerializer(serializers.Serializer):
    upload_id = serializers.UUIDField()


class ImportCreatedOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = HistoryImport
        fields = ["id", "status"]
        read_only_fields = fields


class SkippedExampleSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="1-based row (or record) number in the file")
    reason = serializers.CharField()


class ImportOutputSerializer(serializers.ModelSerializer):
    rows_read = serializers.IntegerField(source="rows_done")
    skipped_reasons = serializers.DictField(
        child=serializers.IntegerField(), help_text="Rows skipped, by reason"
    )
    skipped_examples = SkippedExampleSerializer(many=True, help_text="The first few skipped rows")
    progress = serializers.SerializerMethodField(
        help_text="Share of the file's rows done, 0 to 1; null until the file was read once"
    )

    class Meta:
        model = HistoryImport
        fields = [
            "id",
            "status",
            "filename",
            "format",
            "failure_reason",
            "rows_total",
            "rows_read",
            "imported",
            "duplicates",
            "matched",
            "unmatched",
            "skipped",
            "skipped_reasons",
            "skipped_examples",
            "progress",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, job: HistoryImport) -> float | None:
        if job.status == "done":
            return 1.0
        if not job.rows_total:
            return None
        return round(min(job.rows_done / job.rows_total, 1.0), 4)


class TokenCreateInputSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="Which player it is for"
    )


class TokenOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScrobbleToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]
        read_only_fields = fields


class TokenCreatedOutputSerializer(TokenOutputSerializer):
    token = serializers.CharField(
        help_text="Give it to the player as its ListenBrainz token; it is never shown again."
    )

    class Meta(TokenOutputSerializer.Meta):
        fields = [*TokenOutputSerializer.Meta.fields, "token"]
        read_only_fields = fields
