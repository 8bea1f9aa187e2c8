"""The figures of insights computed plainly from counted plays, to check the API against."""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.library.models import Play


def _ms(seconds: float) -> int:
    return int(seconds * 1000 + 0.5)


def plays_between(user, tz: ZoneInfo, first: date, last: date) -> list[Play]:
    """The user's counted plays that started on local days `first` to `last`."""
    return [
        play
        for play in Play.objects.filter(user=user, counted=True)
        .select_related("track", "track__album")
        .prefetch_related("track__genres")
        if first <= play.started_at.astimezone(tz).date() <= last
    ]


def totals(plays: list[Play]) -> dict:
    return {
        "listens": len(plays),
        "minutes": round(sum(_ms(p.played_seconds) for p in plays) / 60000, 1),
        "tracks": len({p.track_id for p in plays}),
        "artists": len({p.track.artist_id for p in plays}),
        "albums": len({p.track.album_id for p in plays if p.track.album_id}),
    }


def _keys(play: Play, kind: str) -> list[int]:
    if kind == "tracks":
        return [play.track_id]
    if kind == "artists":
        return [play.track.artist_id]
    if kind == "albums":
        return [play.track.album_id] if play.track.album_id else []
    return [genre.pk for genre in play.track.genres.all()]


def ranking(plays: list[Play], kind: str) -> list[tuple[int, int, int]]:
    """(id, listens, ms), best first: most listens, then most time, then lowest id."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for play in plays:
        for key in _keys(play, kind):
            counts[key][0] += 1
            counts[key][1] += _ms(play.played_seconds)
    ordered = sorted(counts.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    return [(key, count, ms) for key, (count, ms) in ordered]


def top(plays: list[Play], previous: list[Play] | None, kind: str, limit: int) -> list[dict]:
    before = {}
    if previous is not None:
        before = {key: rank for rank, (key, _, _) in enumerate(ranking(previous, kind), 1)}
    total = len(plays)
    return [
        {
            "rank": rank,
            "previous_rank": before.get(key),
            "count": count,
            "minutes": round(ms / 60000, 1),
            "share": round(count * 100 / total, 1),
            "id": key,
        }
        for rank, (key, count, ms) in enumerate(ranking(plays, kind)[:limit], 1)
    ]


def activity(plays: list[Play], tz: ZoneInfo, first: date, last: date) -> dict:
    by_hour, by_weekday, by_month = [0] * 24, [0] * 7, [0] * 12
    daily: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for play in plays:
        local = play.started_at.astimezone(tz)
        by_hour[local.hour] += 1
        by_weekday[local.weekday()] += 1
        by_month[local.month - 1] += 1
        daily[local.date()][0] += 1
        daily[local.date()][1] += _ms(play.played_seconds)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return {
        "time_zone": tz.key,
        "by_hour": by_hour,
        "by_weekday": by_weekday,
        "by_month": by_month,
        "daily": [
            {
                "date": day.isoformat(),
                "listens": daily[day][0],
                "minutes": round(daily[day][1] / 60000, 1),
            }
            for day in days
        ],
    }


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tz).astimezone(UTC)
