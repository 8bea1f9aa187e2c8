"""Rollups of counted listens, kept up to date as listens are counted (services.py) and
recomputable from the play history (rebuild.py). docs/architecture.md#insights has the design."""

from datetime import timedelta

from django.conf import settings
from django.db import models

# Rollups bucket listens by quarter hour of UTC: every time zone in use today is a whole
# number of quarter hours from UTC, so local hours, days and months are unions of buckets.
BUCKET_MINUTES = 15

# Listens that started longer ago than this when they entered the rollups move a listener's
# `past_version` (ListenerStatsVersion): a live listen enters them within seconds to minutes,
# an imported or long-deferred one later. Windows that ended this long ago are "past".
SETTLED_AFTER = timedelta(days=1)


class ListenedTrack(models.Model):
    """A track as insights know it: its identity when first counted (refreshed by a rebuild),
    and its all-time figures. No foreign key to the catalog: one's statistics keep naming a
    track after it is deleted."""

    track_id = models.BigIntegerField(primary_key=True, help_text="The catalog track's id")
    title = models.CharField(max_length=300)
    artist_id = models.BigIntegerField()
    artist_name = models.CharField(max_length=200)
    album_id = models.BigIntegerField(null=True, blank=True)
    album_title = models.CharField(max_length=200, blank=True)
    listens = models.PositiveIntegerField(default=0, help_text="All-time counted listens")
    listeners = models.PositiveIntegerField(default=0, help_text="Listeners with one or more")

    class Meta:
        indexes = [
            models.Index(fields=["-listens"], name="listened_track_listens_idx"),
            # Top lists look up the names of their few artists and albums here.
            models.Index(fields=["artist_id"], name="listened_track_artist_idx"),
            models.Index(fields=["album_id"], name="listened_track_album_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.artist_name}"


class ListenedTrackGenre(models.Model):
    track = models.ForeignKey(ListenedTrack, on_delete=models.CASCADE, related_name="genres")
    genre_id = models.BigIntegerField()
    genre_name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["track", "genre_id"], name="listened_genre_unique")
        ]
        # Top lists read the name of their few genres here.
        indexes = [models.Index(fields=["genre_id", "track"], name="listened_genre_name_idx")]

    def __str__(self) -> str:
        return self.genre_name


class ListenerQuarterHour(models.Model):
    """One listener's counted listens of one track that started in one UTC quarter hour."""

    # No index of its own: the unique constraint leads with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    bucket = models.DateTimeField(help_text="Start of the UTC quarter hour")
    track = models.ForeignKey(ListenedTrack, on_delete=models.CASCADE, related_name="+")
    # The track's artist and album, copied from its ListenedTrack: top lists and totals group
    # one listener's rows by them without joining every listened track.
    artist_id = models.BigIntegerField()
    album_id = models.BigIntegerField(null=True, blank=True)
    listens = models.PositiveIntegerField()
    ms = models.BigIntegerField(help_text="Milliseconds played, summed over the listens")
    first_at = models.DateTimeField(help_text="When the earliest of these listens started")

    class Meta:
        constraints = [
            # On PostgreSQL its index also carries artist_id, album_id, listens and ms
            # (INCLUDE, migration 0022), so that a listener's period is read by an index-only
            # scan. Not declared here: SQLite, which cannot include columns, would then drop
            # the constraint altogether.
            models.UniqueConstraint(
                fields=["user", "bucket", "track"], name="listener_quarter_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ms__gte=0), name="listener_quarter_ms_non_negative"
            ),
        ]
        indexes = [
            # Charts read every listener's rows of a window.
            models.Index(fields=["bucket"], name="listener_quarter_bucket_idx"),
            # An artist's statistics and top tracks read the artist's rows of a window.
            models.Index(fields=["artist_id", "bucket"], name="listener_quarter_artist_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ▶ {self.track_id}: {self.listens} at {self.bucket:%Y-%m-%d %H:%M}"


class ListenerTrack(models.Model):
    """One listener's all-time counted listens of one track: what `all` periods, new artists
    and a track's listener count read instead of every quarter hour."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    track = models.ForeignKey(ListenedTrack, on_delete=models.CASCADE, related_name="+")
    artist_id = models.BigIntegerField(help_text="The track's, as on ListenerQuarterHour")
    album_id = models.BigIntegerField(null=True, blank=True)
    listens = models.PositiveIntegerField()
    ms = models.BigIntegerField()
    first_at = models.DateTimeField(help_text="When the listener's first counted listen started")

    class Meta:
        constraints = [
            # Covering on PostgreSQL (migration 0026), as listener_quarter_unique.
            models.UniqueConstraint(fields=["user", "track"], name="listener_track_unique"),
            models.CheckConstraint(
                condition=models.Q(ms__gte=0), name="listener_track_ms_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ▶ {self.track_id}: {self.listens}"


class ListenerMonth(models.Model):
    """One listener's counted listens of one track that started in one UTC calendar month: the
    sum of the month's ListenerQuarterHour rows. A long period reads these for the whole UTC
    months strictly inside it and quarter-hour rows at its edges, so that it stays exact in
    every time zone (selectors.Spans)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField(help_text="First day of the UTC month")
    track = models.ForeignKey(ListenedTrack, on_delete=models.CASCADE, related_name="+")
    artist_id = models.BigIntegerField(help_text="The track's, as on ListenerQuarterHour")
    album_id = models.BigIntegerField(null=True, blank=True)
    listens = models.PositiveIntegerField()
    ms = models.BigIntegerField()
    first_at = models.DateTimeField(help_text="When the earliest of these listens started")

    class Meta:
        constraints = [
            # Covering on PostgreSQL (migration 0026), as listener_quarter_unique.
            models.UniqueConstraint(
                fields=["user", "month", "track"], name="listener_month_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ms__gte=0), name="listener_month_ms_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ▶ {self.track_id}: {self.listens} in {self.month:%Y-%m}"


class ListenerGenreSpan(models.Model):
    """One listener's counted listens of one genre in one UTC day or UTC month (a listen counts
    once for each genre of its track): top genres read a few of these rows per genre instead
    of every listened track's genres."""

    DAY = "d"
    MONTH = "m"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    span = models.CharField(max_length=1, choices=[(DAY, "UTC day"), (MONTH, "UTC month")])
    start = models.DateField(help_text="The UTC day, or the first day of the UTC month")
    genre_id = models.BigIntegerField()
    listens = models.PositiveIntegerField()
    ms = models.BigIntegerField()
    first_at = models.DateTimeField(help_text="When the earliest of these listens started")

    class Meta:
        constraints = [
            # Covering on PostgreSQL (migration 0026), as listener_quarter_unique.
            models.UniqueConstraint(
                fields=["user", "span", "start", "genre_id"], name="listener_genre_span_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ms__gte=0), name="listener_genre_span_ms_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ▶ genre {self.genre_id}: {self.listens} ({self.span} {self.start})"


class ListenerStatsVersion(models.Model):
    """Where one listener's rollups stand, for the figures kept in the cache
    (keeping.kept_figures): `version` moves with every change to them, `past_version` only
    with a change to listens that started more than SETTLED_AFTER before it was made, so that
    figures of windows that ended that long ago stay kept while new listens arrive."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.BigIntegerField(default=0)
    past_version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.version} ({self.past_version})"


class ArtistDayVersion(models.Model):
    """Where the settled rollup rows of one artist's tracks in one UTC day stand, for the
    artist statistics kept in the cache (insights.artists): `version` moves with every change
    to them (a listen applied more than SETTLED_AFTER after it started, an import, a cleared
    history), so that a late listen leaves the other artists' figures and the artist's other
    days kept; a listen synced two days late reads that day again, not its month. No row:
    version 0, never changed; rows are never deleted (a day back at 0 would find the figures
    kept under 0)."""

    artist_id = models.BigIntegerField()
    day = models.DateField(help_text="The UTC day")
    version = models.BigIntegerField()

    class Meta:
        constraints = [
            # Also what an artist's statistics read their versions by.
            models.UniqueConstraint(fields=["artist_id", "day"], name="artist_day_version_unique")
        ]

    def __str__(self) -> str:
        return f"artist {self.artist_id} on {self.day:%Y-%m-%d}: {self.version}"


class ChartSnapshot(models.Model):
    """A computed chart as requests serve it for up to CHARTS_CACHE_SECONDS: written by the
    periodic `refresh_charts` (or by a request that found none fresh), kept in the database so
    that every process, and the first request after a restart, reads it in one query."""

    kind = models.CharField(max_length=10)
    period = models.CharField(max_length=10)
    genre_id = models.BigIntegerField(default=0, help_text="0: every genre")
    computed_at = models.DateTimeField()
    window_from = models.DateTimeField(null=True, blank=True, help_text="None for all time")
    window_to = models.DateTimeField()
    current = models.JSONField(help_text="[[id, listens, listeners], ...], best first")
    previous = models.JSONField(help_text="Ids of the window before, best first")
    previous_at = models.DateTimeField(
        null=True, blank=True, help_text="When `previous` was ranked (charts.PREVIOUS_KEPT)"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "genre_id"], name="chart_snapshot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} {self.genre_id or ''} at {self.computed_at:%H:%M:%S}"


class PendingListen(models.Model):
    """A counted history entry whose growth the rollups have not taken in yet: what a progress
    report leaves when INSIGHTS_ROLLUPS is `deferred`, for `apply_listens` to apply."""

    play_id = models.BigIntegerField(primary_key=True, help_text="The history entry's id")

    def __str__(self) -> str:
        return f"listen {self.play_id}"
