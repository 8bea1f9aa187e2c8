"""Playlists and share links in the admin.

Moderators hold view permissions only, so they see everything read-only. Staff who may change
playlists edit items inline; saving recounts the items and issues a new snapshot_id, as the API
does, so that clients holding the old one get a 409 instead of overwriting the edit.
"""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest

from core.playlists.models import Playlist, PlaylistItem, PlaylistShare, new_snapshot_id
from core.playlists.services import MAX_POSITION


class PlaylistItemForm(forms.ModelForm):
    # Renumbering relies on keys being positive (see services._renumber).
    position = forms.IntegerField(min_value=1, max_value=MAX_POSITION)

    class Meta:
        model = PlaylistItem
        fields = ["position", "track"]


class PlaylistItemInline(admin.TabularInline):
    model = PlaylistItem
    form = PlaylistItemForm
    fields = ["position", "track", "added_at"]
    readonly_fields = ["added_at"]
    raw_id_fields = ["track"]
    ordering = ["position"]
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("track", "track__artist")


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

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is PlaylistItem:
            # Rows are saved one by one, so a swap would collide on the unique key: first park
            # every moved or deleted item on a distinct negative key (clear of positive ones).
            leaving = [
                item_form.instance.pk
                for item_form in formset.forms
                if item_form.instance.pk
                and ("position" in item_form.changed_data or item_form in formset.deleted_forms)
            ]
            PlaylistItem.objects.filter(pk__in=leaving).update(position=-F("pk"))
        super().save_formset(request, form, formset, change)

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
