"""History imports and scrobble tokens in the admin: looked at, never edited by hand."""

from django.contrib import admin
from django.http import HttpRequest

from core.history_import.models import HistoryImport, ScrobbleToken


class _ReadOnlyAdmin(admin.ModelAdmin):
    raw_id_fields = ["user"]
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(HistoryImport)
class HistoryImportAdmin(_ReadOnlyAdmin):
    list_display = ["user", "filename", "status", "format", "imported", "skipped", "created_at"]
    list_filter = ["status", "format"]
    list_select_related = ["user"]
    search_fields = ["user__username", "filename"]
    exclude = ["token"]


@admin.register(ScrobbleToken)
class ScrobbleTokenAdmin(_ReadOnlyAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "name"]
    exclude = ["token_hash"]
