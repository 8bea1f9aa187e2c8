"""Reads of one artist's listening figures from the rollups (all listeners' quarter hours of
the artist's tracks, by `listener_quarter_artist_idx`): its top tracks of the last days and
the statistics its managers read."""

import hashlib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from operator import itemgetter
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.db.models.functions import ExtractHour, TruncDate

from config import prepared
from core.insights.keeping import kept_each, settled_edge, settled_generation
from core.insights.models import ArtistDayVersion, ListenerQuarterHour
from core.insights.periods import Window, window_for
from core.insights.sums import minutes, next_month


def _artist_rows(artist_id: int, start: datetime | None, end: datetime | None):
    rows = ListenerQuarterHour.objects.filter(artist_id=artist_id)
    if start is not None:
        rows = rows.filter(bucket__gte=start)
    if end is not None:
        rows = rows.filter(bucket__lt=end)
    return rows


def artist_top_track_ids(
    *, artist_id: int, days: int = 30, limit: int = 10, now: datetime | None = None
) -> list[tuple[int, int]]:
    """(track id, counted listens) of the artist's most listened tracks of the last `days`
    days (ties: the lower id first); one statement."""
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    rows = (
        _artist_rows(artist_id, since, None)
        .values("track_id")
        .annotate(listens=models.Sum("listens"))
        .order_by("-listens", "track_id")[:limit]
    )
    return [(row["track_id"], row["listens"]) for row in rows]


def artist_first_listen_day(artist_id: int, tz) -> date | None:
    first = _artist_rows(artist_id, None, None).aggregate(first=models.Min("bucket"))["first"]
    return None if first is None else first.astimezone(tz).date()


def artist_window(*, artist_id: int, period: str, tz, first=None, last=None) -> Window:
    if period == "all":
        first = artist_first_listen_day(artist_id, tz)
    return window_for(period, tz=tz, first=first, last=last)


def _part(artist_id: int, start: datetime, end: datetime, tz) -> dict:
    """The artist's figures of [start, end) (whole local days, or up to now): listens and ms in
    total, per local day (with that day's distinct listeners), by local hour and per track,
    and the distinct listeners' ids (sorted)."""
    rows = _artist_rows(artist_id, start, end)
    totals = rows.aggregate(listens=models.Sum("listens"), ms=models.Sum("ms"))
    listeners = rows.values_list("user_id", flat=True).distinct().order_by()
    per_day = {
        row["day"]: [row["listens"], row["ms"], row["listeners"]]
        for row in rows.annotate(day=TruncDate("bucket", tzinfo=tz))
        .values("day")
        .annotate(
            listens=models.Sum("listens"),
            ms=models.Sum("ms"),
            listeners=models.Count("user_id", distinct=True),
        )
        .order_by()
    }
    by_hour = [0] * 24
    for row in (
        rows.annotate(hour=ExtractHour("bucket", tzinfo=tz))
        .values("hour")
        .annotate(listens=models.Sum("listens"))
        .order_by()
    ):
        by_hour[row["hour"]] = row["listens"]
    per_track = {
        row["track_id"]: [row["listens"], row["ms"]]
        for row in rows.values("track_id")
        .annotate(listens=models.Sum("listens"), ms=models.Sum("ms"))
        .order_by()
    }
    return {
        "listens": totals["listens"] or 0,
        "ms": totals["ms"] or 0,
        "listeners": np.array(sorted(listeners), dtype=np.int64),
        "per_day": per_day,
        "by_hour": by_hour,
        "per_track": per_track,
    }


def _empty() -> dict:
    return {
        "listens": 0,
        "ms": 0,
        "listeners": np.zeros(0, dtype=np.int64),
        "per_day": {},
        "by_hour": [0] * 24,
        "per_track": {},
    }


def _union(ids: list[np.ndarray]) -> np.ndarray:
    """The sorted union of arrays of user ids: marked in a table as long as the greatest id
    when that is not much longer than the arrays together (a month's listeners of two years
    repeat in every month: sorting them all was most of a merge), else sorted."""
    ids = [part for part in ids if len(part)]
    if not ids:
        return np.zeros(0, dtype=np.int64)
    total = sum(len(part) for part in ids)
    greatest = max(int(part[-1]) for part in ids)
    if greatest > 8 * total:
        return np.unique(np.concatenate(ids))
    seen = np.zeros(greatest + 1, dtype=bool)
    for part in ids:
        seen[part] = True
    return np.flatnonzero(seen).astype(np.int64)


def _merged(parts: list[dict]) -> dict:
    """The figures of disjoint parts made of whole local days, as one part's."""
    merged = _empty()
    merged["listeners"] = _union([part["listeners"] for part in parts])
    for part in parts:
        merged["listens"] += part["listens"]
        merged["ms"] += part["ms"]
        merged["per_day"].update(part["per_day"])
        merged["by_hour"] = [a + b for a, b in zip(merged["by_hour"], part["by_hour"], strict=True)]
        for track, (listens, ms) in part["per_track"].items():
            row = merged["per_track"].setdefault(track, [0, 0])
            row[0] += listens
            row[1] += ms
    return merged


_QUARTER_COLUMNS = ("at", "user_id", "track_id", "listens", "ms")
_QUARTER_SQL = """
    SELECT CAST(extract(epoch FROM bucket) AS bigint) AS at, user_id, track_id, listens, ms
      FROM {table} WHERE artist_id = %s AND bucket >= %s AND bucket < %s
"""


def _quarter_rows(artist_id: int, start: datetime, end: datetime) -> list[tuple]:
    """The artist's rows of [start, end) as (UTC seconds of the quarter hour, user id, track
    id, listens, ms). On PostgreSQL the instants come as integers: parsing the timestamps of
    a few days' rows from their text was half of a repeated view."""
    if connection.vendor != "postgresql":
        rows = _artist_rows(artist_id, start, end).values_list(
            "bucket", "user_id", "track_id", "listens", "ms"
        )
        return [(int(bucket.timestamp()), *rest) for bucket, *rest in rows]
    sql = _QUARTER_SQL.format(table=ListenerQuarterHour._meta.db_table)
    with connection.cursor() as cursor:
        prepared.execute(cursor, sql, [artist_id, start, end])
        named = {column[0]: n for n, column in enumerate(cursor.description)}
        pick = itemgetter(*(named[name] for name in _QUARTER_COLUMNS))
        return [pick(row) for row in cursor.fetchall()]


def _day_parts(artist_id: int, start: datetime, end: datetime, tz) -> dict[date, dict]:
    """The figures of each local day of [start, end) with listens, from the artist's rows read
    in one query and summed here: for a few days of rows, one read instead of one grouping
    query per figure."""
    parts: dict[date, dict] = {}
    listeners: dict[date, set[int]] = {}
    local: dict[int, tuple[date, int]] = {}  # per quarter hour, not per row
    for at, user_id, track_id, listens, ms in _quarter_rows(artist_id, start, end):
        if at not in local:
            moment = datetime.fromtimestamp(at, tz)
            local[at] = (moment.date(), moment.hour)
        day, hour = local[at]
        if day not in parts:
            parts[day], listeners[day] = _empty(), set()
        part = parts[day]
        part["listens"] += listens
        part["ms"] += ms
        part["by_hour"][hour] += listens
        track = part["per_track"].setdefault(track_id, [0, 0])
        track[0] += listens
        track[1] += ms
        listeners[day].add(user_id)
    for day, part in parts.items():
        part["listeners"] = np.array(sorted(listeners[day]), dtype=np.int64)
        part["per_day"] = {day: [part["listens"], part["ms"], len(listeners[day])]}
    return parts


def _midnight(day: date, tz) -> datetime:
    return datetime.combine(day, time(), tz)


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """The contiguous runs of `days` (local days, in order), as [first, end)."""
    runs: list[list[date]] = []
    for day in days:
        if runs and runs[-1][1] == day:
            runs[-1][1] = day + timedelta(days=1)
        else:
            runs.append([day, day + timedelta(days=1)])
    return [(first, end) for first, end in runs]


def _read_days(artist_id: int, tz, days: list[date]) -> dict[date, dict]:
    """The figures of each local day of `days`: from their rows, a query per run of days."""
    found = {day: _empty() for day in days}
    for first, end in _runs(days):
        found.update(_day_parts(artist_id, _midnight(first, tz), _midnight(end, tz), tz))
    return found


def _utc_days(tz, first: date, end: date) -> tuple[int, int]:
    """The ordinals of the first and last UTC days that the local days from `first` to `end`
    (exclusive) overlap."""
    start = _midnight(first, tz).astimezone(UTC)
    last = (_midnight(end, tz) - timedelta(microseconds=1)).astimezone(UTC)
    return start.toordinal(), last.toordinal()


@dataclass(frozen=True)
class _Settled:
    """What an artist's settled figures in a time zone depend on: the settled generation (a
    rebuild moves it) and the version of each UTC day of the artist's rows (ArtistDayVersion;
    0 for a day without one), so that a late listen changes only the figures of the local
    days, and local months, that overlap its UTC day."""

    artist_id: int
    tz: ZoneInfo
    generation: int
    days: list[int]  # the ordinals of the UTC days that have a version, in order
    versions: list[int]

    @classmethod
    def read(cls, artist_id: int, tz, generation: int, first: date, end: date) -> "_Settled":
        """The versions of the artist's UTC days under the local days from `first` to `end`
        (exclusive), in one query."""
        start, last = (date.fromordinal(n) for n in _utc_days(tz, first, end))
        rows = ArtistDayVersion.objects.filter(artist_id=artist_id, day__range=(start, last))
        found = rows.order_by("day").values_list("day", "version")
        days = [(day.toordinal(), version) for day, version in found]
        return cls(artist_id, tz, generation, [d for d, _ in days], [v for _, v in days])

    def of(self, first: date, end: date) -> tuple:
        """The state of the figures of the local days from `first` to `end` (exclusive): the
        versions of the UTC days they overlap that have one."""
        start, last = _utc_days(self.tz, first, end)
        low, high = bisect_left(self.days, start), bisect_right(self.days, last)
        moved = tuple(zip(self.days[low:high], self.versions[low:high], strict=True))
        return (self.artist_id, self.tz.key, self.generation, moved)

    def month(self, month: date) -> tuple:
        return self.of(month, next_month(month))

    def day(self, day: date) -> tuple:
        return self.of(day, day + timedelta(days=1))


def _settled(settled: _Settled, first: date, end: date) -> dict:
    """The figures of the local days from `first` to `end` (exclusive), all settled: each
    whole local month and each other day kept on its own under its state (kept_each), those
    missing read at once."""
    months, days = [], []
    day = first
    while day < end:
        if day.day == 1 and next_month(day) <= end:
            months.append(day)
            day = next_month(day)
        else:
            days.append(day)
            day += timedelta(days=1)
    artist_id, tz = settled.artist_id, settled.tz
    parts = []
    if months:
        read = partial(_read_months, settled)
        parts += kept_each("artist-month", settled.month, months, read)
    if days:
        read = partial(_read_days, artist_id, tz)
        parts += kept_each("artist-day", settled.day, days, read)
    return _merged(parts)


def _read_months(settled: _Settled, months: list[date]) -> dict[date, dict]:
    """The figures of each local month of `months`, merged from the figures of its days, each
    kept on its own (kept_each): the days kept are not read again (a late listen makes its
    month read its day), the others are read in one query per run of days and kept. Reading
    a month by its days also costs less than grouping its rows by day, hour, track and
    listener (2.4 s against 2.9 s for 22 months of 10^6 rows)."""
    days_of = {
        month: [month + timedelta(days=n) for n in range((next_month(month) - month).days)]
        for month in months
    }
    every = [day for month in months for day in days_of[month]]
    read = partial(_read_days, settled.artist_id, settled.tz)
    found = dict(zip(every, kept_each("artist-day", settled.day, every, read), strict=True))
    return {month: _merged([found[day] for day in days_of[month]]) for month in months}


# The artist statistics' settled parts, kept under their state: a day, at most.
_SETTLED_SECONDS = 86400


def _figures(artist_id: int, window: Window) -> dict:
    """The artist's figures of `window`. On PostgreSQL, the window's local days before the
    one that holds the settled edge are its settled part: kept for the day under the versions
    of the UTC days it overlaps (_Settled: only old listens of the artist's tracks in them,
    a cleared history and a rebuild move those), from the kept figures of its whole local
    months and days, so the day's first view reads the day that became settled, and the view
    after a late listen the day it changed (its month is merged again from its kept days).
    The days since are read at every view."""
    tz = window.tz
    generation = settled_generation() if settings.INSIGHTS_STATS_CACHE_SECONDS else None
    settled_end = min(settled_edge().astimezone(tz).date(), window.last + timedelta(days=1))
    if generation is None or settled_end <= window.first:
        return _part(artist_id, window.start, window.end, tz)
    settled = _Settled.read(artist_id, tz, generation, window.first, settled_end)
    bounds = (window.first.isoformat(), settled_end.isoformat())
    state = repr((*bounds, settled.of(window.first, settled_end)))
    key = "insights:artist:" + hashlib.blake2b(state.encode(), digest_size=16).hexdigest()
    figures = cache.get(key)
    if figures is None:
        figures = _settled(settled, window.first, settled_end)
        cache.set(key, figures, _SETTLED_SECONDS)
    if settled_end > window.last:
        return figures
    fresh = _day_parts(artist_id, _midnight(settled_end, tz), window.end, tz)
    return _merged([figures, *fresh.values()])


def artist_listening(*, artist_id: int, window: Window, top: int = 10) -> dict:
    """The artist's counted listens, unique listeners and minutes of the window, in total and
    per local day, listens by local hour of day, and its top tracks."""
    figures = _figures(artist_id, window)
    top_tracks = sorted(figures["per_track"].items(), key=lambda item: (-item[1][0], item[0]))
    daily = []
    for day in window.dates():
        row = figures["per_day"].get(day)
        daily.append(
            {
                "date": day,
                "listens": row[0] if row else 0,
                "listeners": row[2] if row else 0,
                "minutes": minutes(row[1]) if row else 0.0,
            }
        )
    return {
        "totals": {
            "listens": figures["listens"],
            "listeners": len(figures["listeners"]),
            "minutes": minutes(figures["ms"]),
        },
        "daily": daily,
        "by_hour": figures["by_hour"],
        "top_tracks": [
            {"track_id": track, "listens": listens, "minutes": minutes(ms)}
            for track, (listens, ms) in top_tracks[:top]
        ],
    }


# What warm_artist_stats keeps: every period a manager can ask for but a custom one.
KEPT_PERIODS = ("all", "12m", "6m", "4w", "7d")


def artist_figures_keep(*, artist_id: int, tz) -> bool:
    """Compute and keep the settled figures of the artist's history in `tz` (its whole local
    months and other days, and the settled parts of the named periods), so that the next view
    of any period merges kept pieces instead of reading months of rows. What is kept already is not
    read again. False when nothing is kept: no listens, or keeping is off or unavailable."""
    if not settings.INSIGHTS_STATS_CACHE_SECONDS or settled_generation() is None:
        return False
    first = artist_first_listen_day(artist_id, tz)
    if first is None:
        return False
    # The named periods too: their first days cut local months, whose days they need.
    for period in KEPT_PERIODS:
        _figures(artist_id, window_for(period, tz=tz, first=first))
    return True
