"""Admin actions other admins can register, e.g. on the catalog's TrackAdmin:

from media_pipeline.admin_actions import reprocess_tracks
actions = [..., reprocess_tracks]

The admin offers it only where `has_moderate_permission(request)` is true (TrackAdmin's).
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from core.roles import can_moderate
from media_pipeline.processing import track_process_enqueue


@admin.action(description="Re-run media processing", permissions=["moderate"])
def reprocess_tracks(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet):
    """Queue the selected tracks for processing again; ready tracks stay playable meanwhile."""
    if not can_moderate(request.user):
        modeladmin.message_user(
            request, "Only moderators can re-run processing.", level=messages.ERROR
        )
        return
    count = 0
    for track_id in queryset.values_list("pk", flat=True):
        track_process_enqueue(track_id=track_id)
        count += 1
    modeladmin.message_user(
        request, f"Queued {count} track(s) for processing.", level=messages.SUCCESS
    )
