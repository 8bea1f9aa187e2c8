"""Reads of the reports room: a listener's own reports, and the moderators' queue."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q, QuerySet

from core.catalog.models import Track
from core.playlists.models import Playlist
from core.reports.models import Report, ReportKind, ReportReason, ReportStatus


def reports_of(user) -> QuerySet[Report]:
    return Report.objects.filter(reporter_id=user.pk).order_by("-created_at", "-id")


@dataclass(frozen=True)
class QueueRow:
    """One reported item with its open reports summed up."""

    kind: str
    item_id: int
    item: Track | Playlist | None
    count: int
    reasons: list[tuple[str, int]]  # (reason's label, count), most frequent first
    first_reported: datetime
    last_reported: datetime


def open_report_groups() -> QuerySet:
    """Open reports grouped by item, most recently reported first (one row per item)."""
    return (
        Report.objects.filter(status=ReportStatus.OPEN)
        .values("track_id", "playlist_id")
        .annotate(count=Count("id"), first=Min("created_at"), last=Max("created_at"))
        .order_by("-last", "track_id", "playlist_id")
    )


def queue_rows(groups: list[dict]) -> list[QueueRow]:
    """The page of groups with their items and reasons: three queries whatever its length."""
    track_ids = [g["track_id"] for g in groups if g["track_id"]]
    playlist_ids = [g["playlist_id"] for g in groups if g["playlist_id"]]
    tracks = Track.objects.select_related("artist").in_bulk(track_ids)
    playlists = Playlist.objects.select_related("owner").in_bulk(playlist_ids)
    reasons: dict[tuple[str, int], list[tuple[str, int]]] = {}
    by_reason = Report.objects.filter(
        Q(track_id__in=track_ids) | Q(playlist_id__in=playlist_ids), status=ReportStatus.OPEN
    ).values_list("track_id", "playlist_id", "reason")
    counts: dict[tuple[str, int], dict[str, int]] = {}
    for track_id, playlist_id, reason in by_reason:
        key = (ReportKind.TRACK, track_id) if track_id else (ReportKind.PLAYLIST, playlist_id)
        per_item = counts.setdefault(key, {})
        per_item[reason] = per_item.get(reason, 0) + 1
    labels = dict(ReportReason.choices)
    for key, per_item in counts.items():
        reasons[key] = sorted(
            ((labels.get(r, r), n) for r, n in per_item.items()), key=lambda rn: (-rn[1], rn[0])
        )
    rows = []
    for group in groups:
        if group["track_id"]:
            kind, item_id, item = ReportKind.TRACK, group["track_id"], tracks.get(group["track_id"])
        else:
            kind, item_id = ReportKind.PLAYLIST, group["playlist_id"]
            item = playlists.get(item_id)
        rows.append(
            QueueRow(
                kind=kind,
                item_id=item_id,
                item=item,
                count=group["count"],
                reasons=reasons.get((kind, item_id), []),
                first_reported=group["first"],
                last_reported=group["last"],
            )
        )
    return rows


def open_reports_of(kind: str, item_id: int) -> QuerySet[Report]:
    field = "track_id" if kind == ReportKind.TRACK else "playlist_id"
    return (
        Report.objects.filter(**{field: item_id}, status=ReportStatus.OPEN)
        .select_related("reporter", "reporter__reporting_ban")
        .order_by("created_at", "id")
    )
