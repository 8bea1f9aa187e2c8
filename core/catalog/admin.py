"""Admin for the catalog: artists, albums, genres and tracks, with hide/unhide for moderators."""

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat, truncatechars

from core.catalog.models import Album, Artist, Genre, Track, TrackStatus
from core.catalog.services import schedule_stored_object_deletion
from core.processing.admin import reprocess_tracks
from core.processing.selectors import derived_keys


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
    list_display = ["title", "artist", "year", "track_count", "created_at"]
    list_filter = ["year"]
    list_select_related = ["artist"]
    search_fields = ["title", "artist__name"]
    autocomplete_fields = ["artist"]

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
    list_display = [
        "title",
        "artist",
        "album",
        "status",
        "processing",
        "is_hidden",
        "human_size",
        "human_duration",
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
    list_select_related = ["artist", "album", "album__artist", "uploaded_by", "processing_job"]
    search_fields = ["title", "artist__name", "album__title", "storage_key"]
    autocomplete_fields = ["artist", "album", "genres"]
    raw_id_fields = ["uploaded_by"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "status",
        "failure_reason",
        "processing",
        "processing_error",
        "placeholder_fields",
        "storage_key",
        "human_size",
        "size",
        "content_type",
        "checksum_sha256",
        "duration",
        "uploaded_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "artist", "album", "genres", "track_number", "year"]}),
        ("Moderation", {"fields": ["is_hidden", "status", "failure_reason"]}),
        (
            "Processing",
            {"fields": ["processing", "processing_error", "placeholder_fields"]},
        ),
        (
            "Stored file",
            {
                "fields": [
                    "storage_key",
                    "human_size",
                    "size",
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
        count = queryset.update(is_hidden=True)
        self.message_user(request, f"Hid {count} tracks.", messages.SUCCESS)

    @admin.action(description="Unhide selected tracks", permissions=["moderate"])
    def unhide_tracks(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = queryset.update(is_hidden=False)
        self.message_user(request, f"Unhid {count} tracks.", messages.SUCCESS)

    def delete_model(self, request: HttpRequest, obj: Track) -> None:
        keys = [obj.storage_key, *derived_keys([obj.pk])]
        super().delete_model(request, obj)
        schedule_stored_object_deletion(keys)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        tracks = dict(queryset.values_list("pk", "storage_key"))
        keys = [*tracks.values(), *derived_keys(tracks)]
        super().delete_queryset(request, queryset)
        schedule_stored_object_deletion(keys)
