import unicodedata

from rest_framework import serializers

from core.reports.models import Report, ReportKind, ReportReason

NOTE_MAX_LENGTH = 500


def _plain_text(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in value):
        raise serializers.ValidationError("Control characters are not allowed.")
    return value


class ReportInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        validators=[_plain_text],
        help_text="What the moderators should know, in a few words (optional).",
    )


class ReportOutputSerializer(serializers.ModelSerializer):
    """The reporter's view of a report: its state, never who handled it."""

    kind = serializers.ChoiceField(choices=ReportKind.choices)
    item_id = serializers.IntegerField()

    class Meta:
        model = Report
        fields = ["id", "kind", "item_id", "reason", "note", "status", "created_at", "resolved_at"]
        read_only_fields = fields
