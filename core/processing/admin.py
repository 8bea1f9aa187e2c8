"""Admin for what the pipeline produced: track media, variants and processing jobs (read-only)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat

from core.processing.jobs import track_process_enqueue
from core.processing.models import ProcessingJob, TrackMedia, TrackVariant
from core.roles import can_moderate


class ReadOnlyAdmin(admin.ModelAdmin):
    """The pipeline writes these rows; people look at them and re-run processing."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(TrackMedia)
class TrackMediaAdmin(ReadOnlyAdmin):
    list_display = ["track", "codec", "container", "bitrate", "loudness_lufs", "processed_at"]
    list_select_related = ["track"]
    list_filter = ["codec"]
    search_fields = ["track__title"]
    exclude = ["waveform"]


@admin.register(TrackVariant)
class TrackVariantAdmin(ReadOnlyAdmin):
    list_display = ["track", "quality", "codec", "bitrate", "human_size", "updated_at"]
    list_select_related = ["track"]
    list_filter = ["quality", "codec"]
    search_fields = ["track__title", "key"]

    @admin.display(description="size", ordering="size")
    def human_size(self, variant: TrackVariant) -> str:
        return filesizeformat(variant.size)


def _requeue(modeladmin: admin.ModelAdmin, request: HttpRequest, track_ids: list[int]) -> None:
    if not can_moderate(request.user):
        modeladmin.message_user(
            request, "Only moderators can re-run processing.", level=messages.ERROR
        )
        return
    for track_id in track_ids:
        track_process_enqueue(track_id=track_id)
    modeladmin.message_user(
        request, f"Queued {len(track_ids)} track(s) for processing.", level=messages.SUCCESS
    )


@admin.action(description="Re-run media processing", permissions=["moderate"])
def reprocess_tracks(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
    """Queue the selected tracks for processing again; ready tracks stay playable meanwhile.

    Registered on the catalog's TrackAdmin, which offers it where `has_moderate_permission`."""
    _requeue(modeladmin, request, list(queryset.values_list("pk", flat=True)))


@admin.action(description="Re-run media processing", permissions=["moderate"])
def rerun_jobs(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    _requeue(modeladmin, request, list(queryset.values_list("track_id", flat=True)))


@admin.register(ProcessingJob)
class ProcessingJobAdmin(ReadOnlyAdmin):
    list_display = [
        "track",
        "state",
        "attempts",
        "enqueued_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
    ]
    list_select_related = ["track"]
    list_filter = ["state"]
    search_fields = ["track__title", "last_error"]
    date_hierarchy = "enqueued_at"
    actions = [rerun_jobs]

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.moderate_track")
