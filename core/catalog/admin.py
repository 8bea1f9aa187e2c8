"""Admin for the catalog: artists, albums, genres and tracks, with hide/unhide for moderators."""

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat, truncatechars
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from core.catalog import admin_media
from core.catalog.hiding import UNHIDDEN, moderation_hide_fields
from core.catalog.models import Album, Artist, Genre, Track, TrackStatus
from core.catalog.services import schedule_stored_object_deletion
from core.catalog.signals import tracks_hidden
from core.processing.admin import reprocess_tracks
from core.processing.selectors import derived_keys


def _tracks(count: int) -> str:
    return ngettext("track", "tracks", count)


@admin.register(Artist)
class ArtistAdmin(admin.ModelAdmin):
    list_display = ["name", "track_count", "created_at"]
    search_fields = ["name"]
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(track_count=Count("tracks"))

    @admin.display(description="Tracks", ordering="track_count")
    def track_count(self, artist: Artist) -> int:
        return artist.track_count


@admin.register(Album)
class AlbumAdmin(admin.ModelAdmin):
    list_display = ["title", "artist", "year", "track_count", "is_hidden", "created_at"]
    list_filter = ["year", "is_hidden"]
    list_select_related = ["artist"]
    search_fields = ["title", "artist__name"]
    autocomplete_fields = ["artist"]
    readonly_fields = ["hidden_role", "hidden_by", "rating_count", "rating_total"]

    def save_model(self, request: HttpRequest, obj: Album, form, change: bool) -> None:
        if "is_hidden" in form.changed_data:
            hiding = moderation_hide_fields(request.user) if obj.is_hidden else UNHIDDEN
            for name, value in hiding.items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(track_count=Count("tracks"))

    @admin.display(description="Tracks", ordering="track_count")
    def track_count(self, album: Album) -> int:
        return album.track_count


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ["name", "track_count"]
    search_fields = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(track_count=Count("tracks"))

    @admin.display(description="Tracks", ordering="track_count")
    def track_count(self, genre: Genre) -> int:
        return genre.track_count


def format_duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    # Few, short columns: the list fits 1400 px without scrolling sideways.
    list_display = [
        "title",
        "artist",
        "state",
        "human_duration",
        "human_size",
        "uploaded_by",
        "created_at",
    ]
    list_filter = [
        "status",
        "is_hidden",
        "genres",
        ("uploaded_by", admin.RelatedOnlyFieldListFilter),
        "content_type",
    ]
    list_select_related = ["artist", "uploaded_by", "processing_job"]
    search_fields = ["title", "artist__name", "album__title", "storage_key"]
    autocomplete_fields = ["artist", "album", "genres"]
    raw_id_fields = ["uploaded_by"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "player",
        "waveform",
        "loudness",
        "variants",
        "status",
        "failure_reason",
        "processing",
        "processing_error",
        "filled_in_automatically",
        "storage_key",
        "human_size",
        "content_type",
        "checksum_sha256",
        "duration",
        "uploaded_by",
        "hidden_role",
        "hidden_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        ("Listen", {"fields": ["player", "waveform", "loudness", "variants"]}),
        (None, {"fields": ["title", "artist", "album", "genres", "track_number", "year"]}),
        (
            "Moderation",
            {"fields": ["is_hidden", "hidden_role", "hidden_by", "status", "failure_reason"]},
        ),
        (
            "Processing",
            {"fields": ["processing", "processing_error", "filled_in_automatically"]},
        ),
        (
            "Stored file",
            {
                "fields": [
                    "storage_key",
                    "human_size",
                    "content_type",
                    "checksum_sha256",
                    "duration",
                ]
            },
        ),
        ("History", {"fields": ["uploaded_by", "created_at", "updated_at"]}),
    ]
    actions = ["hide_tracks", "unhide_tracks", reprocess_tracks]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tracks come in through uploads, which put the file in storage

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.moderate_track")

    @admin.display(description="Size", ordering="size")
    def human_size(self, track: Track) -> str:
        return filesizeformat(track.size)

    @admin.display(description="State", ordering="status")
    def state(self, track: Track) -> SafeString:
        """Status and visibility in a word or two; the last run's details on hover."""
        text = track.get_status_display() + (", hidden" if track.is_hidden else "")
        return format_html('<span title="{}">{}</span>', self.processing(track), text)

    @admin.display(description="Player")
    def player(self, track: Track) -> SafeString:
        return admin_media.track_player(track)

    @admin.display(description="Waveform")
    def waveform(self, track: Track) -> SafeString:
        return admin_media.track_waveform(track)

    @admin.display(description="Loudness")
    def loudness(self, track: Track) -> str:
        return admin_media.track_loudness(track)

    @admin.display(description="Streaming variants")
    def variants(self, track: Track) -> SafeString:
        return admin_media.track_variants(track)

    @admin.display(description="Filled in automatically")
    def filled_in_automatically(self, track: Track) -> str:
        """The fields the uploader left out, which registration filled in for them."""
        return ", ".join(track.placeholder_fields) or "—"

    @admin.display(description="Duration", ordering="duration")
    def human_duration(self, track: Track) -> str:
        return format_duration(track.duration)

    @admin.display(description="Processing")
    def processing(self, track: Track) -> str:
        """The last run: its state and attempts, or why the track failed."""
        job = getattr(track, "processing_job", None)
        if job is None:
            return "—"
        text = f"{job.get_state_display()}, attempt {job.attempts}"
        if track.status == TrackStatus.FAILED and track.failure_reason:
            text += f": {truncatechars(track.failure_reason, 80)}"
        return text

    @admin.display(description="Last error of the run")
    def processing_error(self, track: Track) -> str:
        job = getattr(track, "processing_job", None)
        return job.last_error if job is not None and job.last_error else "—"

    @admin.action(description="Hide selected tracks from listeners", permissions=["moderate"])
    def hide_tracks(self, request: HttpRequest, queryset: QuerySet) -> None:
        track_ids = list(queryset.values_list("pk", flat=True))
        count = queryset.update(**moderation_hide_fields(request.user))
        tracks_hidden.send(sender=Track, track_ids=track_ids, by=request.user)
        self.message_user(request, f"Hid {count} {_tracks(count)}.", messages.SUCCESS)

    @admin.action(description="Unhide selected tracks", permissions=["moderate"])
    def unhide_tracks(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(**UNHIDDEN)
        self.message_user(request, f"Unhid {count} {_tracks(count)}.", messages.SUCCESS)

    def save_model(self, request: HttpRequest, obj: Track, form, change: bool) -> None:
        if "is_hidden" in form.changed_data:
            hiding = moderation_hide_fields(request.user) if obj.is_hidden else UNHIDDEN
            for name, value in hiding.items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)
        if "is_hidden" in form.changed_data and obj.is_hidden:
            tracks_hidden.send(sender=Track, track_ids=[obj.pk], by=request.user)

    def delete_model(self, request: HttpRequest, obj: Track) -> None:
        keys = [obj.storage_key, *derived_keys([obj.pk])]
        super().delete_model(request, obj)
        schedule_stored_object_deletion(keys)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        tracks = dict(queryset.values_list("pk", "storage_key"))
        keys = [*tracks.values(), *derived_keys(tracks)]
        super().delete_queryset(request, queryset)
        schedule_stored_object_deletion(keys)
