"""Admin for uploads: a read-only view of presigned upload slots and what became of them."""

from django.contrib import admin
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat

from core.uploads.models import ImportFailure, Upload


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "user",
        "status",
        "human_size",
        "content_type",
        "track",
        "created_at",
        "expires_at",
    ]
    list_filter = ["status", "content_type", "created_at"]
    list_select_related = ["user", "track"]
    search_fields = ["filename", "key", "user__username"]
    raw_id_fields = ["user", "track"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "id",
        "user",
        "key",
        "filename",
        "content_type",
        "size",
        "human_size",
        "sha256",
        "status",
        "track",
        "created_at",
        "expires_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # uploads start through the API, which presigns the key

    @admin.display(description="Size", ordering="size")
    def human_size(self, upload: Upload) -> str:
        return filesizeformat(upload.size)


@admin.register(ImportFailure)
class ImportFailureAdmin(admin.ModelAdmin):
    """Files `import_audio` remembers as bad; deleting one lets the next run try it again."""

    list_display = ["path", "reason", "failed_at"]
    search_fields = ["path", "reason", "sha256"]
    readonly_fields = ["sha256", "path", "reason", "failed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
