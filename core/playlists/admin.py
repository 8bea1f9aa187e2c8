"""Playlists and share links in the admin.

Moderators hold view permissions only, so they see everything read-only. Staff who may change
playlists remove items or change their track inline; saving recounts the items and issues a
new snapshot_id, as the API does, so that clients holding the old one get a 409 instead of
overwriting the edit.
"""

from django.contrib import admin
from django.db import transaction
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest

from core.playlists.models import Playlist, PlaylistItem, PlaylistShare, new_snapshot_id


class PlaylistItemInline(admin.TabularInline):
    """Items in order, numbered from 1. Their sparse ordering keys are the services' business
    (moves and inserts renumber them), so they are neither shown nor editable here; items are
    added and moved through the API, and may be removed or pointed at another track here."""

    model = PlaylistItem
    fields = ["number", "track", "added_at"]
    readonly_fields = ["number", "added_at"]
    raw_id_fields = ["track"]
    ordering = ["position"]
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        number = Window(RowNumber(), partition_by=[F("playlist_id")], order_by=F("position").asc())
        return (
            super()
            .get_queryset(request)
            .select_related("track", "track__artist")
            .annotate(number=number)
        )

    @admin.display(description="#")
    def number(self, item: PlaylistItem) -> int | None:
        return getattr(item, "number", None)


@admin.register(Playlist)
class PlaylistAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "is_public", "items_count", "created_at", "updated_at"]
    list_filter = [
        "is_public",
        ("owner", admin.RelatedOnlyFieldListFilter),
        "created_at",
        "updated_at",
    ]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username"]
    raw_id_fields = ["owner"]
    readonly_fields = ["snapshot_id", "items_count", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [PlaylistItemInline]
    list_per_page = 50

    @transaction.atomic
    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        playlist = form.instance
        playlist.items_count = playlist.items.count()
        playlist.snapshot_id = new_snapshot_id()
        playlist.save(update_fields=["items_count", "snapshot_id", "updated_at"])


@admin.register(PlaylistShare)
class PlaylistShareAdmin(admin.ModelAdmin):
    list_display = ["playlist", "created_at", "expires_at", "revoked_at", "visit_count"]
    list_filter = ["created_at", "expires_at", "revoked_at"]
    list_select_related = ["playlist", "playlist__owner"]
    search_fields = ["playlist__name", "playlist__owner__username"]
    raw_id_fields = ["playlist"]
    readonly_fields = ["token", "visit_count", "created_at"]
    date_hierarchy = "created_at"
    list_per_page = 50
