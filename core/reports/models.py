"""Listeners' reports of tracks and public playlists, and who may no longer report."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReportReason(models.TextChoices):
    COPYRIGHT = "copyright", "Copyright infringement"
    OFFENSIVE = "offensive", "Offensive content"
    SPAM = "spam", "Spam"
    WRONG_METADATA = "wrong_metadata", "Wrong title, artist or other details"
    BROKEN_AUDIO = "broken_audio", "Broken audio"
    OTHER = "other", "Something else"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACTIONED = "actioned", "Actioned"
    DISMISSED = "dismissed", "Dismissed"


class ReportKind(models.TextChoices):
    TRACK = "track", "Track"
    PLAYLIST = "playlist", "Playlist"


class Report(models.Model):
    """One listener's report of one track or playlist. While open, a listener has at most one
    report per item: repeats count once."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    track = models.ForeignKey(
        "core.Track", on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    playlist = models.ForeignKey(
        "core.Playlist", on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # For moderators' records only: the reporter never learns who handled a report.
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(track__isnull=False, playlist__isnull=True)
                | Q(track__isnull=True, playlist__isnull=False),
                name="report_one_item",
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.OPEN, resolved_at__isnull=True)
                | (~Q(status=ReportStatus.OPEN) & Q(resolved_at__isnull=False)),
                name="report_resolved_when_closed",
            ),
            models.UniqueConstraint(
                fields=["reporter", "track"],
                condition=Q(status=ReportStatus.OPEN, track__isnull=False),
                name="report_open_once_per_track",
            ),
            models.UniqueConstraint(
                fields=["reporter", "playlist"],
                condition=Q(status=ReportStatus.OPEN, playlist__isnull=False),
                name="report_open_once_per_playlist",
            ),
        ]
        indexes = [
            models.Index(fields=["reporter", "-created_at"], name="report_reporter_recent"),
            models.Index(
                fields=["track"], condition=Q(status=ReportStatus.OPEN), name="report_open_track"
            ),
            models.Index(
                fields=["playlist"],
                condition=Q(status=ReportStatus.OPEN),
                name="report_open_playlist",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.kind} {self.item_id}"

    @property
    def kind(self) -> str:
        return ReportKind.TRACK if self.track_id else ReportKind.PLAYLIST

    @property
    def item_id(self) -> int:
        return self.track_id or self.playlist_id


class ReportingBan(models.Model):
    """A listener whose reports moderators no longer accept (abuse of the report button)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reporting_ban",
    )
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"reporting ban of {self.user_id}"
