from rest_framework import serializers

from core.portability.models import DataExport, ExportStatus


class ExportCreatedOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataExport
        fields = ["id", "status"]
        read_only_fields = fields


class ExportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ExportStatus.choices)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    size = serializers.IntegerField(allow_null=True, help_text="Bytes of the zip, once ready")
    failure_reason = serializers.CharField()
    download_url = serializers.CharField(
        allow_null=True, help_text="A short-lived GET of the zip, once ready"
    )
    expires_at = serializers.DateTimeField(allow_null=True, help_text="When download_url ends")


class AccountDeleteInputSerializer(serializers.Serializer):
    password = serializers.CharField(
        required=False, allow_blank=True, max_length=4096, trim_whitespace=False
    )
