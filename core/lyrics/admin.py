from django.contrib import admin

from core.lyrics.models import TrackLyrics


@admin.register(TrackLyrics)
class TrackLyricsAdmin(admin.ModelAdmin):
    list_display = ["track", "source", "language", "updated_at"]
    list_select_related = ["track"]
    list_filter = ["source"]
    search_fields = ["track__title"]
    raw_id_fields = ["track"]
