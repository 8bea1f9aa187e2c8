"""Reads of one listener's insights, from the rollups: a constant number of queries whatever
the limit or the length of the history."""

from dataclasses import dataclass
from datetime import UTC, date
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.functions import Coalesce, ExtractHour, TruncDate

from core.catalog import selectors as catalog_selectors
from core.insights.models import ListenerQuarterHour, ListenerTrack
from core.insights.periods import Window, window_for, year_window

# previous_rank is looked up this deep in the previous period; below it an item reads as new.
PREVIOUS_RANK_DEPTH = 1000
RECAP_TOP = 5
RECAP_NEW_ARTISTS = 50
TOP_KINDS = ("tracks", "artists", "albums", "genres")


def minutes(ms: int) -> float:
    return round(ms / 60000, 1)


def share(count: int, total: int) -> float:
    """Percent of `total`, one decimal."""
    return round(count * 100 / total, 1) if total else 0.0


def _rows(user_id: int, window: Window | None) -> models.QuerySet:
    """The listener's rollup rows of `window`; all-time ones (a row per track) for None."""
    if window is None:
        return ListenerTrack.objects.filter(user_id=user_id)
    return ListenerQuarterHour.objects.filter(
        user_id=user_id, bucket__gte=window.start, bucket__lt=window.end
    )


def totals(rows: models.QuerySet) -> dict:
    figures = rows.aggregate(
        listens=Coalesce(models.Sum("listens"), 0),
        ms=Coalesce(models.Sum("ms"), 0),
        tracks=models.Count("track_id", distinct=True),
        artists=models.Count("track__artist_id", distinct=True),
        albums=models.Count("track__album_id", distinct=True),
    )
    figures["minutes"] = minutes(figures.pop("ms"))
    return figures


ZERO_TOTALS = {"listens": 0, "minutes": 0.0, "tracks": 0, "artists": 0, "albums": 0}

# What each top list groups by, and the labels read with it.
_GROUPS: dict[str, tuple[str, dict]] = {
    "tracks": (
        "track_id",
        {
            "title": models.Max("track__title"),
            "artist_id": models.Max("track__artist_id"),
            "artist_name": models.Max("track__artist_name"),
            "album_id": models.Max("track__album_id"),
            "album_title": models.Max("track__album_title"),
        },
    ),
    "artists": ("track__artist_id", {"name": models.Max("track__artist_name")}),
    "albums": (
        "track__album_id",
        {
            "title": models.Max("track__album_title"),
            "artist_id": models.Max("track__artist_id"),
            "artist_name": models.Max("track__artist_name"),
        },
    ),
    "genres": ("track__genres__genre_id", {"name": models.Max("track__genres__genre_name")}),
}


def _ranked(rows: models.QuerySet, kind: str) -> models.QuerySet:
    key, labels = _GROUPS[kind]
    return (
        rows.filter(**{f"{key}__isnull": False})
        .values(key)
        .annotate(count=models.Sum("listens"), ms=models.Sum("ms"), **labels)
        .order_by("-count", "-ms", key)
    )


def _subject(kind: str, row: dict, playable: set[int]) -> dict:
    key = row[_GROUPS[kind][0]]
    if kind == "tracks":
        album = None
        if row["album_id"] is not None:
            album = {"id": row["album_id"], "title": row["album_title"]}
        return {
            "id": key,
            "title": row["title"],
            "artist": {"id": row["artist_id"], "name": row["artist_name"]},
            "album": album,
            "playable": key in playable,
        }
    if kind == "albums":
        artist = {"id": row["artist_id"], "name": row["artist_name"]}
        return {"id": key, "title": row["title"], "artist": artist}
    return {"id": key, "name": row["name"]}


def top_lists(
    rows: models.QuerySet,
    previous: models.QuerySet | None,
    *,
    limit: int,
    total: int,
    kinds: tuple[str, ...] = TOP_KINDS,
) -> dict[str, list[dict]]:
    """Each kind's top `limit`, with ranks in `previous` (None: no previous period)."""
    tops = {kind: list(_ranked(rows, kind)[:limit]) for kind in kinds}
    track_ids = [row["track_id"] for row in tops.get("tracks", [])]
    playable = catalog_selectors.playable_track_ids(track_ids) if track_ids else set()
    result = {}
    for kind, top in tops.items():
        key = _GROUPS[kind][0]
        before: dict = {}
        if previous is not None and top:
            ranked = _ranked(previous, kind).values_list(key, flat=True)[:PREVIOUS_RANK_DEPTH]
            before = {value: rank for rank, value in enumerate(ranked, start=1)}
        result[kind] = [
            {
                "rank": rank,
                "previous_rank": before.get(row[key]),
                "count": row["count"],
                "minutes": minutes(row["ms"]),
                "share": share(row["count"], total),
                kind[:-1]: _subject(kind, row, playable),
            }
            for rank, row in enumerate(top, start=1)
        ]
    return result


def public_listener(*, username: str):
    """The active account of `username` if its statistics are public, else None."""
    return (
        get_user_model()
        .objects.filter(username__iexact=username, is_active=True, stats_public=True)
        .only("pk", "time_zone")
        .first()
    )


def first_listen_day(user_id: int, tz: ZoneInfo) -> date | None:
    """The local day of the listener's first counted listen ever."""
    first = ListenerTrack.objects.filter(user_id=user_id).aggregate(first=models.Min("first_at"))
    return None if first["first"] is None else first["first"].astimezone(tz).date()


@dataclass(frozen=True)
class StatsQuery:
    period: str
    tz: ZoneInfo
    limit: int = 10
    first: date | None = None
    last: date | None = None


def listener_stats(*, user_id: int, query: StatsQuery) -> dict:
    """Totals and top lists of a period, beside those of the period of the same length before."""
    if query.period == "all":
        window = window_for("all", tz=query.tz, first=first_listen_day(user_id, query.tz))
        rows, previous = _rows(user_id, None), None
    else:
        window = window_for(query.period, tz=query.tz, first=query.first, last=query.last)
        rows, previous = _rows(user_id, window), _rows(user_id, window.previous())
    current = totals(rows)
    return {
        "period": {"from": window.first, "to": window.last},
        "totals": current,
        "previous_totals": ZERO_TOTALS if previous is None else totals(previous),
        "top": top_lists(rows, previous, limit=query.limit, total=current["listens"]),
    }


def _activity_cells(user_id: int, window: Window) -> list[dict]:
    """Listens and milliseconds per local day and hour of the window."""
    tz = window.tz
    return list(
        _rows(user_id, window)
        .annotate(day=TruncDate("bucket", tzinfo=tz), hour=ExtractHour("bucket", tzinfo=tz))
        .values("day", "hour")
        .annotate(listens=models.Sum("listens"), ms=models.Sum("ms"))
        .order_by()
    )


def _activity(cells: list[dict], window: Window) -> dict:
    by_hour, by_weekday, by_month = [0] * 24, [0] * 7, [0] * 12
    days: dict[date, list[int]] = {}
    for cell in cells:
        day = cell["day"]
        by_hour[cell["hour"]] += cell["listens"]
        by_weekday[day.weekday()] += cell["listens"]
        by_month[day.month - 1] += cell["listens"]
        figures = days.setdefault(day, [0, 0])
        figures[0] += cell["listens"]
        figures[1] += cell["ms"]
    daily = [
        {
            "date": day,
            "listens": days.get(day, [0, 0])[0],
            "minutes": minutes(days.get(day, [0, 0])[1]),
        }
        for day in window.dates()
    ]
    return {
        "time_zone": window.tz.key,
        "by_hour": by_hour,
        "by_weekday": by_weekday,
        "by_month": by_month,
        "daily": daily,
    }


def listener_activity(*, user_id: int, query: StatsQuery) -> dict:
    """When the listener listens, in their time zone: by hour, weekday, month and day."""
    first = first_listen_day(user_id, query.tz) if query.period == "all" else query.first
    window = window_for(query.period, tz=query.tz, first=first, last=query.last)
    return _activity(_activity_cells(user_id, window), window)


def _longest_streak(daily: list[dict]) -> dict:
    best = (0, None, None)
    run_start, run = None, 0
    for entry in daily:
        if entry["listens"]:
            run_start = entry["date"] if run == 0 else run_start
            run += 1
            if run > best[0]:
                best = (run, run_start, entry["date"])
        else:
            run = 0
    return {"days": best[0], "from": best[1], "to": best[2]}


def _new_artists(user_id: int, window: Window) -> dict:
    firsts = (
        ListenerTrack.objects.filter(user_id=user_id)
        .values("track__artist_id")
        .annotate(first=models.Min("first_at"), name=models.Max("track__artist_name"))
        .filter(first__gte=window.start, first__lt=window.end)
        .order_by("first", "track__artist_id")
    )
    items = [{"id": row["track__artist_id"], "name": row["name"]} for row in firsts]
    return {"count": len(items), "items": items[:RECAP_NEW_ARTISTS]}


def listener_recap(*, user_id: int, year: int, tz: ZoneInfo) -> dict:
    """A year in review, in the listener's time zone."""
    window = year_window(year, tz)
    rows = _rows(user_id, window)
    current = totals(rows)
    top = top_lists(
        rows, _rows(user_id, year_window(year - 1, tz)), limit=RECAP_TOP, total=current["listens"]
    )
    activity = _activity(_activity_cells(user_id, window), window)
    months = activity["by_month"]
    first = rows.order_by("first_at", "track_id").values("first_at", *_track_fields()).first()
    genres = top_lists(rows, None, limit=1000, total=current["listens"], kinds=("genres",))
    return {
        "year": year,
        "totals": current,
        "top": top,
        "top_month": months.index(max(months)) + 1 if current["listens"] else None,
        "longest_streak": _longest_streak(activity["daily"]),
        "first_listen": None if first is None else _first_listen(first),
        "new_artists": _new_artists(user_id, window),
        "genres": [{"genre": g["genre"], "share": g["share"]} for g in genres["genres"]],
    }


def _track_fields() -> tuple[str, ...]:
    return (
        "track_id",
        "track__title",
        "track__artist_id",
        "track__artist_name",
        "track__album_id",
        "track__album_title",
    )


def _first_listen(row: dict) -> dict:
    playable = catalog_selectors.playable_track_ids([row["track_id"]])
    labels = {name.removeprefix("track__"): value for name, value in row.items()}
    return {"track": _subject("tracks", labels, playable), "at": row["first_at"].astimezone(UTC)}
