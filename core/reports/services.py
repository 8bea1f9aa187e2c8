"""Writes of the reports room: a listener's report, and what moderators do about reports."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework import status

from core.api.errors import DomainError, NotFound
from core.catalog.hiding import moderation_hide_fields
from core.catalog.models import Track
from core.playlists.models import Playlist, new_snapshot_id
from core.reports.models import Report, ReportingBan, ReportKind, ReportStatus


class ReportingBanned(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    code = "reporting_banned"


def _item_filter(kind: str, item_id: int) -> Q:
    return Q(track_id=item_id) if kind == ReportKind.TRACK else Q(playlist_id=item_id)


def _reportable(kind: str, item_id: int) -> Track | Playlist:
    """The item a listener may report: a playable track or a public playlist, else 404."""
    if kind == ReportKind.TRACK:
        item = Track.objects.playable().filter(pk=item_id).only("pk").first()
        if item is None:
            raise NotFound("Track not found.")
    else:
        item = Playlist.objects.filter(pk=item_id, is_public=True).only("pk").first()
        if item is None:
            raise NotFound("Playlist not found.")
    return item


def report_create(
    *, reporter, kind: str, item_id: int, reason: str, note: str = ""
) -> tuple[Report, bool]:
    """Report a track or a public playlist; (report, created).

    While the reporter's earlier report of the item is open, that one is returned instead:
    repeats count once. The database's partial unique constraint decides under concurrency.
    """
    if ReportingBan.objects.filter(user_id=reporter.pk).exists():
        raise ReportingBanned("You may no longer report tracks or playlists.")
    item = _reportable(kind, item_id)
    mine = Report.objects.filter(_item_filter(kind, item.pk), reporter_id=reporter.pk)
    existing = mine.filter(status=ReportStatus.OPEN).first()
    if existing is not None:
        return existing, False
    report = Report(reporter_id=reporter.pk, reason=reason, note=note.strip())
    setattr(report, kind, item)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Another request of the same reporter got there first (a double tap).
        existing = mine.filter(status=ReportStatus.OPEN).first()
        if existing is None:  # the item went away meanwhile
            raise NotFound(f"{kind.capitalize()} not found.") from None
        return existing, False
    return report, True


def reports_resolve(*, kind: str, item_ids: Iterable[int], status: str, by=None) -> int:
    """Close the open reports of these items as actioned or dismissed; how many were closed."""
    field = "track_id__in" if kind == ReportKind.TRACK else "playlist_id__in"
    return Report.objects.filter(**{field: list(item_ids)}, status=ReportStatus.OPEN).update(
        status=status, resolved_at=timezone.now(), resolved_by=by
    )


def reports_resolve_hidden_tracks(sender=None, *, track_ids: Iterable[int], by=None, **kwargs):
    """Receiver of catalog's `tracks_hidden`: hiding a track acts on every open report of it."""
    reports_resolve(kind=ReportKind.TRACK, item_ids=track_ids, status=ReportStatus.ACTIONED, by=by)


@transaction.atomic
def reported_item_hide(*, kind: str, item_id: int, by) -> int:
    """Hide a track, or make a playlist private; its open reports become actioned."""
    if kind == ReportKind.TRACK:
        Track.objects.filter(pk=item_id).update(
            **moderation_hide_fields(by), updated_at=timezone.now()
        )
    else:
        # A new snapshot: clients holding the old one see the playlist has changed.
        Playlist.objects.filter(pk=item_id).update(
            is_public=False, snapshot_id=new_snapshot_id(), updated_at=timezone.now()
        )
    return reports_resolve(kind=kind, item_ids=[item_id], status=ReportStatus.ACTIONED, by=by)


def reported_item_dismiss(*, kind: str, item_id: int, by) -> int:
    """Nothing to do about the item: its open reports are dismissed."""
    return reports_resolve(kind=kind, item_ids=[item_id], status=ReportStatus.DISMISSED, by=by)


def reporter_ban(*, user_id: int, by) -> bool:
    """Refuse further reports of this user; True when the ban is new."""
    _, created = ReportingBan.objects.get_or_create(user_id=user_id, defaults={"banned_by": by})
    return created
