"""Reads of one artist's listening figures from the rollups (all listeners' quarter hours of
the artist's tracks, by `listener_quarter_artist_idx`): its top tracks of the last days and
the statistics its managers read."""

import hashlib
from array import array
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models.functions import ExtractHour, TruncDate

from core.insights.keeping import settled_edge, settled_generation
from core.insights.models import ListenerQuarterHour
from core.insights.periods import Window, window_for
from core.insights.sums import minutes


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
    """The artist's figures of [start, end), in pieces that add up across parts: listens and
    ms in total, per local day (with that day's distinct listeners), by local hour and per
    track; the distinct listeners' ids; and those of the local days at the two ends, whose
    listeners another part may share."""
    rows = _artist_rows(artist_id, start, end)
    totals = rows.aggregate(listens=models.Sum("listens"), ms=models.Sum("ms"))
    listeners = array("q", sorted(rows.values_list("user_id", flat=True).distinct().order_by()))
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
    ends = {}
    for instant in (start, end - timedelta(microseconds=1)):
        day = instant.astimezone(tz).date()
        if day in per_day and day not in ends:
            ends[day] = set(
                rows.annotate(day=TruncDate("bucket", tzinfo=tz))
                .filter(day=day)
                .values_list("user_id", flat=True)
                .distinct()
                .order_by()
            )
    return {
        "listens": totals["listens"] or 0,
        "ms": totals["ms"] or 0,
        "listeners": listeners,
        "per_day": per_day,
        "by_hour": by_hour,
        "per_track": per_track,
        "ends": ends,
    }


def _merged(settled: dict, fresh: dict) -> dict:
    """The figures of two adjacent parts (settled, then fresh) as one part's."""
    per_day = {day: list(row) for day, row in settled["per_day"].items()}
    for day, (listens, ms, listeners) in fresh["per_day"].items():
        if day not in per_day:
            per_day[day] = [listens, ms, listeners]
            continue
        shared = settled["ends"].get(day, set()) | fresh["ends"].get(day, set())
        per_day[day] = [per_day[day][0] + listens, per_day[day][1] + ms, len(shared)]
    per_track = {track: list(row) for track, row in settled["per_track"].items()}
    for track, (listens, ms) in fresh["per_track"].items():
        row = per_track.setdefault(track, [0, 0])
        row[0] += listens
        row[1] += ms
    listeners = set(settled["listeners"])
    listeners.update(fresh["listeners"])
    return {
        "listens": settled["listens"] + fresh["listens"],
        "ms": settled["ms"] + fresh["ms"],
        "listeners": listeners,
        "per_day": per_day,
        "by_hour": [a + b for a, b in zip(settled["by_hour"], fresh["by_hour"], strict=True)],
        "per_track": per_track,
    }


# The artist statistics' settled parts, kept under the settled generation: a day, at most.
_SETTLED_SECONDS = 86400


def _figures(artist_id: int, window: Window) -> dict:
    """The artist's figures of `window`. On PostgreSQL, a window that holds the settled edge
    is its settled part, kept in the cache under the settled generation (which only listens
    that started more than a day before they were applied move), and the day or two since:
    after the first view of the day a view reads the fresh part only."""
    tz = window.tz
    edge = settled_edge()
    generation = settled_generation() if settings.INSIGHTS_STATS_CACHE_SECONDS else None
    if generation is None or not window.start < edge < window.end:
        return _part(artist_id, window.start, window.end, tz)
    state = repr((artist_id, window.start.isoformat(), edge.isoformat(), tz.key, generation))
    key = "insights:artist:" + hashlib.blake2b(state.encode(), digest_size=16).hexdigest()
    settled = cache.get(key)
    if settled is None:
        settled = _part(artist_id, window.start, edge, tz)
        cache.set(key, settled, _SETTLED_SECONDS)
    return _merged(settled, _part(artist_id, edge, window.end, tz))


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
