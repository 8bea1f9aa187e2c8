"""Reads of one artist's listening figures from the rollups (all listeners' quarter hours of
the artist's tracks, by `listener_quarter_artist_idx`): its top tracks of the last days and
the statistics its managers read."""

from datetime import UTC, date, datetime, timedelta

from django.db import models
from django.db.models.functions import ExtractHour, TruncDate

from core.insights.models import ListenerQuarterHour
from core.insights.periods import Window, window_for
from core.insights.selectors import minutes


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


def artist_listening(*, artist_id: int, window: Window, top: int = 10) -> dict:
    """The artist's counted listens, unique listeners and minutes of the window, in total and
    per local day, listens by local hour of day, and its top tracks; four statements."""
    tz = window.tz
    rows = _artist_rows(artist_id, window.start, window.end)
    totals = rows.aggregate(
        listens=models.Sum("listens"),
        ms=models.Sum("ms"),
        listeners=models.Count("user_id", distinct=True),
    )
    per_day = {
        row["day"]: row
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
    top_tracks = list(
        rows.values("track_id")
        .annotate(listens=models.Sum("listens"), ms=models.Sum("ms"))
        .order_by("-listens", "track_id")[:top]
    )
    daily = []
    for day in window.dates():
        row = per_day.get(day)
        daily.append(
            {
                "date": day,
                "listens": row["listens"] if row else 0,
                "listeners": row["listeners"] if row else 0,
                "minutes": minutes(row["ms"]) if row else 0.0,
            }
        )
    return {
        "totals": {
            "listens": totals["listens"] or 0,
            "listeners": totals["listeners"],
            "minutes": minutes(totals["ms"] or 0),
        },
        "daily": daily,
        "by_hour": by_hour,
        "top_tracks": [
            {"track_id": r["track_id"], "listens": r["listens"], "minutes": minutes(r["ms"])}
            for r in top_tracks
        ],
    }
