"""Favorites and play history in the admin: looked at, never edited by hand.

Entries come from listeners only, so nobody adds or changes them here; deleting (for instance
on a user's request) stays with those holding the delete permission, which moderators lack.
"""

from django.contrib import admin
from django.http import HttpRequest

from core.library.models import ExternalListen, Favorite, Play


class _ListenerRecordAdmin(admin.ModelAdmin):
    list_select_related = ["user", "track", "track__artist"]
    raw_id_fields = ["user", "track"]
    search_fields = ["user__username", "track__title"]
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Favorite)
class FavoriteAdmin(_ListenerRecordAdmin):
    list_display = ["user", "track", "created_at"]
    list_filter = [("user", admin.RelatedOnlyFieldListFilter), "created_at"]
    date_hierarchy = "created_at"


@admin.register(Play)
class PlayAdmin(_ListenerRecordAdmin):
    list_display = ["user", "track", "started_at", "played_seconds", "counted", "client"]
    list_filter = [("user", admin.RelatedOnlyFieldListFilter), "counted", "started_at"]
    date_hierarchy = "started_at"


@admin.register(ExternalListen)
class ExternalListenAdmin(_ListenerRecordAdmin):
    list_display = ["user", "source", "artist", "title", "listened_at", "counted", "track"]
    list_filter = ["source", "counted", "listened_at"]
    search_fields = ["user__username", "artist", "title"]
    date_hierarchy = "listened_at"
