"""Recompute the rollups from the play history: what the incremental updates of services.py
must always equal (tests/insights hold them to each other)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, models, transaction
from django.db.models.functions import Coalesce, Floor

from core.catalog import selectors as catalog_selectors
from core.catalog import services as catalog_services
from core.insights.external import rebuild_external_listens
from core.insights.models import (
    ListenedTrack,
    ListenerGenreSpan,
    ListenerMonth,
    ListenerQuarterHour,
    ListenerTrack,
)
from core.insights.services import (
    all_listeners_changed,
    bucket_of,
    listened_tracks_create,
    played_ms,
)
from core.library.models import Play

_BATCH = 5000
# Listeners whose rollup rows one statement of the set-based rebuild writes.
_LISTENER_BATCH = 500

# The set-based rebuild (PostgreSQL): what _listener_rows computes, in the server. date_bin
# floors to the UTC quarter hour as bucket_of does, and floor(seconds * 1000 + 0.5) on the
# same double is played_ms, so both give the same rows (tests/insights hold them equal).
_QUARTERS_SQL = """
INSERT INTO core_listenerquarterhour
    (user_id, bucket, track_id, artist_id, album_id, listens, ms, first_at)
SELECT play.user_id, date_bin('15 minutes', play.started_at, TIMESTAMPTZ '2000-01-01 00:00Z'),
    play.track_id, track.artist_id, track.album_id, count(*),
    sum(floor(play.played_seconds * 1000 + 0.5)::bigint), min(play.started_at)
FROM core_play play JOIN core_listenedtrack track ON track.track_id = play.track_id
WHERE play.counted AND play.user_id = ANY(%s)
GROUP BY 1, 2, 3, 4, 5
"""
_TRACKS_SQL = """
INSERT INTO core_listenertrack (user_id, track_id, artist_id, album_id, listens, ms, first_at)
SELECT play.user_id, play.track_id, track.artist_id, track.album_id, count(*),
    sum(floor(play.played_seconds * 1000 + 0.5)::bigint), min(play.started_at)
FROM core_play play JOIN core_listenedtrack track ON track.track_id = play.track_id
WHERE play.counted AND play.user_id = ANY(%s)
GROUP BY 1, 2, 3, 4
RETURNING listens
"""


# The month rows and genre spans are sums of the quarter-hour rows (services.spans_add), so a
# rebuild derives them from those, deleted tracks' kept rows included. {month} and {day} are
# the UTC month's first day and the UTC day of `bucket`, per database.
_MONTHS_SQL = """
INSERT INTO core_listenermonth
    (user_id, month, track_id, artist_id, album_id, listens, ms, first_at)
SELECT user_id, {month}, track_id, max(artist_id), max(album_id), sum(listens), sum(ms),
    min(first_at)
FROM core_listenerquarterhour {where}
GROUP BY user_id, {month}, track_id
"""
_GENRE_SPANS_SQL = """
INSERT INTO core_listenergenrespan (user_id, span, start, genre_id, listens, ms, first_at)
SELECT q.user_id, '{span}', {start}, g.genre_id, sum(q.listens), sum(q.ms), min(q.first_at)
FROM core_listenerquarterhour q JOIN core_listenedtrackgenre g ON g.track_id = q.track_id
{where}
GROUP BY q.user_id, {start}, g.genre_id
"""
_SPAN_STARTS = {
    "postgresql": {
        "month": "CAST(date_trunc('month', {bucket} AT TIME ZONE 'UTC') AS date)",
        "day": "CAST({bucket} AT TIME ZONE 'UTC' AS date)",
    },
    # Django stores SQLite datetimes as UTC text, 'YYYY-MM-DD HH:MM:SS'.
    "sqlite": {
        "month": "substr({bucket}, 1, 7) || '-01'",
        "day": "substr({bucket}, 1, 10)",
    },
}


def rebuild_spans(user_ids: list[int] | None = None) -> None:
    """Recompute the month rows and genre spans (of `user_ids`, default everyone's) from the
    quarter-hour rows: what they hold after any sequence of incremental updates."""
    starts = _SPAN_STARTS["postgresql" if connection.vendor == "postgresql" else "sqlite"]
    months = ListenerMonth.objects.all()
    spans = ListenerGenreSpan.objects.all()
    where, params = "", []
    if user_ids is not None:
        months, spans = months.filter(user_id__in=user_ids), spans.filter(user_id__in=user_ids)
        marks = ", ".join(["%s"] * len(user_ids))
        where, params = f"WHERE user_id IN ({marks})", list(user_ids)
    months.delete()
    spans.delete()
    with connection.cursor() as cursor:
        cursor.execute(
            _MONTHS_SQL.format(month=starts["month"].format(bucket="bucket"), where=where),
            params,
        )
        for span, grain in ((ListenerGenreSpan.DAY, "day"), (ListenerGenreSpan.MONTH, "month")):
            statement = _GENRE_SPANS_SQL.format(
                span=span,
                start=starts[grain].format(bucket="q.bucket"),
                where=where.replace("user_id", "q.user_id"),
            )
            cursor.execute(statement, params)


@dataclass
class _Sum:
    listens: int = 0
    ms: int = 0
    first_at: datetime | None = None

    def add(self, ms: int, at: datetime) -> None:
        self.listens += 1
        self.ms += ms
        self.first_at = at if self.first_at is None else min(self.first_at, at)


@dataclass
class RebuildResult:
    listeners: int = 0
    listens: int = 0
    tracks: set[int] = field(default_factory=set)


Labels = dict[int, tuple[int, int | None]]


def _labels() -> Labels:
    """Each listened track's artist and album, which its rollup rows copy."""
    return {
        pk: (artist_id, album_id)
        for pk, artist_id, album_id in ListenedTrack.objects.values_list(
            "pk", "artist_id", "album_id"
        ).iterator(chunk_size=_BATCH)
    }


def _listener_rows(
    user_id: int, labels: Labels
) -> tuple[list[ListenerQuarterHour], dict[int, _Sum]]:
    quarters: dict[tuple, _Sum] = {}
    tracks: dict[int, _Sum] = {}
    plays = (
        Play.objects.filter(user_id=user_id, counted=True)
        .order_by()
        .values_list("track_id", "started_at", "played_seconds")
    )
    for track_id, at, seconds in plays.iterator(chunk_size=_BATCH):
        ms = played_ms(seconds)
        quarters.setdefault((bucket_of(at), track_id), _Sum()).add(ms, at)
        tracks.setdefault(track_id, _Sum()).add(ms, at)
    rows = [
        _rollup(ListenerQuarterHour, user_id, track_id, labels, s, bucket=bucket)
        for (bucket, track_id), s in quarters.items()
    ]
    return rows, tracks


def _rollup(model, user_id: int, track_id: int, labels, total: _Sum, **key):
    """One rollup row of `model` for a listener's track, from its summed listens."""
    artist_id, album_id = labels[track_id]
    return model(
        user_id=user_id,
        track_id=track_id,
        artist_id=artist_id,
        album_id=album_id,
        listens=total.listens,
        ms=total.ms,
        first_at=total.first_at,
        **key,
    )


def _recount_tracks() -> None:
    """Each track's all-time listens and listeners from the listeners' rows, in SQL."""
    per_track = ListenerTrack.objects.filter(track=models.OuterRef("pk")).order_by().values("track")
    listens = per_track.annotate(total=models.Sum("listens")).values("total")
    listeners = per_track.annotate(total=models.Count("pk")).values("total")
    ListenedTrack.objects.update(
        listens=Coalesce(models.Subquery(listens), 0),
        listeners=Coalesce(models.Subquery(listeners), 0),
    )
    catalog_services.track_listen_counts_set(ListenedTrack.objects.filter(listens__gt=0))


def _rebuild_in_python(user_ids: list[int], progress, result: RebuildResult) -> None:
    """Row by row, one listener at a time (SQLite; PostgreSQL's reference in the tests)."""
    labels = _labels()
    for user_id in progress(user_ids):
        quarters, tracks = _listener_rows(user_id, labels)
        ListenerQuarterHour.objects.bulk_create(quarters, batch_size=_BATCH)
        ListenerTrack.objects.bulk_create(
            [
                _rollup(ListenerTrack, user_id, track_id, labels, s)
                for track_id, s in tracks.items()
            ],
            batch_size=_BATCH,
        )
        result.tracks.update(tracks)
        result.listeners += 1
        result.listens += sum(s.listens for s in tracks.values())


def _rebuild_in_sql(user_ids: list[int], progress, result: RebuildResult) -> None:
    """Set-based, _LISTENER_BATCH listeners a statement: memory stays flat whatever the
    history, and no row crosses to Python but the listens' counts."""
    batches = [
        user_ids[start : start + _LISTENER_BATCH]
        for start in range(0, len(user_ids), _LISTENER_BATCH)
    ]
    with connection.cursor() as cursor:
        for batch in progress(batches):
            cursor.execute(_QUARTERS_SQL, [batch])
            cursor.execute(_TRACKS_SQL, [batch])
            result.listens += sum(listens for (listens,) in cursor.fetchall())
            result.listeners += len(batch)


def rebuild_insights(
    *, progress: Callable[[Iterable], Iterable] = iter, in_sql: bool | None = None
) -> RebuildResult:
    """Recompute every rollup and listen counter from the counted plays, in one transaction.

    Listens of tracks the catalog has deleted are kept as they are: their plays went with
    the track, so the rollups are all that is left of them. `progress` wraps the loop over
    listeners, or batches of listeners (a progress bar). `in_sql` (default: on PostgreSQL)
    picks the set-based rebuild; both give the same rows."""
    if in_sql is None:
        in_sql = connection.vendor == "postgresql"
    result = RebuildResult()
    with transaction.atomic():
        existing = catalog_selectors.track_ids()
        # Negative ids are tracks known by name only, from listens heard elsewhere (external.py).
        rebuilt = models.Q(track_id__in=existing) | models.Q(track_id__lt=0)
        ListenerQuarterHour.objects.filter(rebuilt).delete()
        ListenerTrack.objects.filter(rebuilt).delete()
        ListenedTrack.objects.filter(models.Q(pk__in=existing) | models.Q(pk__lt=0)).delete()
        counted = Play.objects.filter(counted=True).order_by()
        track_ids = list(counted.values_list("track_id", flat=True).distinct())
        for start in range(0, len(track_ids), _BATCH):
            listened_tracks_create(track_ids[start : start + _BATCH])
        user_ids = list(counted.values_list("user_id", flat=True).distinct().order_by("user_id"))
        if in_sql:
            _rebuild_in_sql(user_ids, progress, result)
            result.tracks.update(track_ids)
        else:
            _rebuild_in_python(user_ids, progress, result)
        result.listens += rebuild_external_listens()
        rebuild_spans()
        _recount_tracks()
        Play.objects.exclude(rolled_up_ms=None).filter(counted=False).update(rolled_up_ms=None)
        counted.update(rolled_up_ms=Floor(models.F("played_seconds") * 1000 + 0.5))
        all_listeners_changed()
    return result
