"""Charts of what everyone listens to: computed from the rollups by the periodic
`refresh_charts` into ChartSnapshot rows, served from the process cache or, on a miss (a new
process, a cold cache), from the snapshot in one query; computed in the request only when no
snapshot is younger than CHARTS_CACHE_SECONDS. Tracks that are no longer playable, and hidden
albums, leave a served chart at once; see docs/architecture.md#insights."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import models
from django.db.models import Window
from django.db.models.functions import Rank
from django.utils import timezone

from core.catalog import caching, kept_pages
from core.catalog import selectors as catalog_selectors
from core.insights.models import (
    BUCKET_MINUTES,
    ChartSnapshot,
    ListenedTrack,
    ListenerQuarterHour,
    ListenerTrack,
)
from core.insights.services import bucket_of

KINDS = {"tracks": "track_id", "artists": "artist_id", "albums": "album_id"}
WINDOWS = {
    "day": timedelta(days=1),
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
}
PERIODS = ("day", "week", "month", "year", "all")
# Entries kept per computed chart: those a request may ask for, and room for tracks hidden
# since it was computed to drop out while the chart still fills.
CHART_DEPTH = 150
PREVIOUS_DEPTH = 1000
LIMIT_MAX = 100  # the most entries a request may ask for


def window(period: str, now: datetime) -> tuple[datetime | None, datetime]:
    """Whole quarter hours ending with the current one; (None, end) for `all`."""
    end = bucket_of(now) + timedelta(minutes=BUCKET_MINUTES)
    return (None if period == "all" else end - WINDOWS[period]), end


def _ranking(
    kind: str, start: datetime | None, end: datetime, genre_id: int | None, depth: int
) -> list[tuple[int, int, int]]:
    """(id, listens, listeners) of playable tracks' listens in [start, end), best first."""
    if start is None:
        return _all_time_ranking(kind, genre_id, depth)
    key = KINDS[kind]
    rows = ListenerQuarterHour.objects.filter(bucket__gte=start, bucket__lt=end)
    playable = catalog_selectors.playable_tracks(genre_id=genre_id).values("pk")
    ranked = (
        rows.filter(track_id__in=playable, **{f"{key}__isnull": False})
        .values(key)
        .annotate(count=models.Sum("listens"), listeners=models.Count("user_id", distinct=True))
        .order_by("-count", "-listeners", key)
        .values_list(key, "count", "listeners")
    )
    return list(ranked[:depth])


def _all_time_ranking(kind: str, genre_id: int | None, depth: int) -> list[tuple[int, int, int]]:
    """_ranking of all time, from each track's all-time listens and listeners, which every write
    path keeps on ListenedTrack (services.py, external.py; the rebuild recounts them), instead
    of every listener's rows: at 10^7 plays grouping ListenerTrack took 10 to 17 s per chart,
    more than the refresh interval. Tracks rank by those counters directly. Artists and albums
    sum their tracks' listens; their distinct listeners, which no sum of tracks' listeners
    gives, are counted in ListenerTrack for the groups that can make the cut only: those with
    at least the listens of the `depth`-th (ties included, as listeners break them)."""
    playable = catalog_selectors.playable_tracks(genre_id=genre_id).values("pk")
    tracks = ListenedTrack.objects.filter(track_id__in=playable, listens__gt=0)
    if kind == "tracks":
        ranked = tracks.order_by("-listens", "-listeners", "track_id")
        return list(ranked.values_list("track_id", "listens", "listeners")[:depth])
    key = KINDS[kind]
    # rank() gives ties the same place: every group with the `depth`-th group's listens stays.
    candidates = dict(
        tracks.filter(**{f"{key}__isnull": False})
        .values(key)
        .annotate(count=models.Sum("listens"))
        .annotate(place=Window(Rank(), order_by=models.F("count").desc()))
        .filter(place__lte=depth)
        .values_list(key, "count")
    )
    listeners = dict(
        ListenerTrack.objects.filter(
            track_id__in=tracks.filter(**{f"{key}__in": list(candidates)}).values("track_id")
        )
        .values(key)
        .annotate(listeners=models.Count("user_id", distinct=True))
        .order_by()
        .values_list(key, "listeners")
    )
    ranked = sorted(
        ((pk, count, listeners.get(pk, 0)) for pk, count in candidates.items()),
        key=lambda entry: (-entry[1], -entry[2], entry[0]),
    )
    return ranked[:depth]


# How long the previous window's ranking of a chart may be reused by its next refreshes, by
# period: ranking the year before a year chart was half of its cost (15 to 18 s at 10^7 plays),
# and the year before moves by a quarter hour at a time; that ranking only gives previous_rank.
# charts_refresh ranks one aged-out chart again per refresh, so with several year charts one
# may wait a refresh or two past this.
PREVIOUS_KEPT = {"year": timedelta(minutes=10)}


def _computed(
    kind: str,
    period: str,
    genre_id: int | None,
    now: datetime,
    previous: tuple[list[int], datetime] | None = None,
) -> dict:
    """The chart's current ranking and the previous window's ids, ranked now unless
    `previous` gives them (ids, when they were ranked)."""
    start, end = window(period, now)
    current = _ranking(kind, start, end, genre_id, CHART_DEPTH)
    previous_ids, previous_at = [], None
    if start is not None:
        if previous is None:
            before = _ranking(kind, start - WINDOWS[period], start, genre_id, PREVIOUS_DEPTH)
            previous_ids, previous_at = [entry[0] for entry in before], now
        else:
            previous_ids, previous_at = previous
    return {
        "from": start,
        "to": end,
        "current": current,
        "previous": previous_ids,
        "previous_at": previous_at,
        "computed_at": now,
    }


def _reusable_previous(
    kind: str, period: str, genre_id: int | None, now: datetime, *, any_age: bool
) -> tuple[list[int], datetime] | None:
    """The stored previous ranking of the chart if its period reuses one and it is young enough
    (PREVIOUS_KEPT), or of any age if `any_age`."""
    kept_for = PREVIOUS_KEPT.get(period)
    if kept_for is None:
        return None
    stored = ChartSnapshot.objects.filter(
        kind=kind, period=period, genre_id=genre_id or 0, previous_at__isnull=False
    )
    if not any_age:
        stored = stored.filter(previous_at__gt=now - kept_for)
    found = stored.values_list("previous", "previous_at").first()
    return None if found is None else (found[0], found[1])


def chart_refresh(
    kind: str, period: str, genre_id: int | None, *, any_age_previous: bool = False
) -> dict:
    """Compute a chart and store it as its snapshot; returns what requests serve.
    `any_age_previous`: reuse the stored previous ranking however old (charts_refresh)."""
    now = timezone.now()
    previous = _reusable_previous(kind, period, genre_id, now, any_age=any_age_previous)
    data = _computed(kind, period, genre_id, now, previous)
    ChartSnapshot.objects.update_or_create(
        kind=kind,
        period=period,
        genre_id=genre_id or 0,
        defaults={
            "computed_at": now,
            "window_from": data["from"],
            "window_to": data["to"],
            "current": [list(entry) for entry in data["current"]],
            "previous": data["previous"],
            "previous_at": data["previous_at"],
        },
    )
    cache.set(_cache_key(kind, period, genre_id), data, settings.CHARTS_CACHE_SECONDS)
    return data


def charts_refresh() -> int:
    """Recompute every chart of every genre and period that has a snapshot, and those of all
    genres in any case (what `refresh_charts` runs); returns how many."""
    wanted = {(kind, period, 0) for kind in KINDS for period in PERIODS}
    wanted |= set(ChartSnapshot.objects.values_list("kind", "period", "genre_id"))
    # One chart a refresh ranks its previous window again once that ranking aged out, the
    # oldest first, so that no refresh ranks every year chart's year before at once.
    now = timezone.now()
    aged = sorted(
        (previous_at, (kind, period, genre_id))
        for kind, period, genre_id, previous_at in ChartSnapshot.objects.filter(
            period__in=PREVIOUS_KEPT, previous_at__isnull=False
        ).values_list("kind", "period", "genre_id", "previous_at")
        if previous_at <= now - PREVIOUS_KEPT[period]
    )
    ranked_again = aged[0][1] if aged else None
    for chart in sorted(wanted):
        kind, period, genre_id = chart
        chart_refresh(kind, period, genre_id or None, any_age_previous=chart != ranked_again)
    return len(wanted)


def _cache_key(kind: str, period: str, genre_id: int | None) -> str:
    return f"insights:chart:{kind}:{period}:{genre_id or 0}"


def _cached(kind: str, period: str, genre_id: int | None) -> dict:
    """The process cache's copy; else the snapshot if fresh (cached for the rest of its
    life); else computed now."""
    key = _cache_key(kind, period, genre_id)
    data = cache.get(key)
    if data is not None:
        return data
    snapshot = ChartSnapshot.objects.filter(kind=kind, period=period, genre_id=genre_id or 0)
    snapshot = snapshot.first()
    if snapshot is not None:
        age = (timezone.now() - snapshot.computed_at).total_seconds()
        left = int(settings.CHARTS_CACHE_SECONDS - age)
        if left > 0:
            data = {
                "from": snapshot.window_from,
                "to": snapshot.window_to,
                "current": [tuple(entry) for entry in snapshot.current],
                "previous": snapshot.previous,
                "computed_at": snapshot.computed_at,
            }
            cache.set(key, data, left)
            return data
    return chart_refresh(kind, period, genre_id)


def _movement(rank: int, previous: int | None) -> str:
    if previous is None:
        return "new"
    return "up" if previous > rank else "down" if previous < rank else "same"


def chart(*, kind: str, period: str, genre_id: int | None, limit: int, user) -> dict:
    """The top `limit` of a chart, ranked among what is playable now, with the subjects each
    entry names ready for their payloads. A constant number of queries on a warm cache."""
    return _ranked(kind, period, _cached(kind, period, genre_id), limit, user)


def served_chart(
    *,
    kind: str,
    period: str,
    genre_id: int | None,
    limit: int,
    user,
    render: Callable[[dict], dict],
) -> dict:
    """What a chart view answers: `render` (its serializer) of `chart(...)`. While the catalog
    version stands (core/catalog/caching.py), the entries rendered for everyone, as deep as a
    request may ask, are kept in the cache, and a request only cuts them to `limit` and marks
    the listener's favorites and stars: one query for the version and one for the marks (none
    for an anonymous caller), whatever the limit."""
    if not caching.keeping():
        return render(chart(kind=kind, period=period, genre_id=genre_id, limit=limit, user=user))
    version = caching.catalog_version()
    keep = caching.keep_seconds()
    data = _cached(kind, period, genre_id)
    computed_at = data.get("computed_at")
    key = ":".join(
        [
            "insights:chart-rendered",
            _cache_key(kind, period, genre_id),
            str(version),
            str(caching.keep_window()),
            computed_at.isoformat() if computed_at else "",
        ]
    )
    rendered = cache.get(key)
    if rendered is None:
        rendered = render(_ranked(kind, period, data, LIMIT_MAX, AnonymousUser()))
        cache.set(key, rendered, keep)
    results = rendered["results"][:limit]
    if kind == "tracks" and user.is_authenticated and results:
        results = _marked(results, user)
    return {**rendered, "results": results}


def _marked(results: list[dict], user) -> list[dict]:
    """Track entries rendered for everyone, with `user`'s favorite flags and stars."""
    marks = catalog_selectors.listener_marks(
        user=user, track_ids=[entry["track"]["id"] for entry in results]
    )
    return [{**entry, "track": kept_pages.marked_track(entry["track"], marks)} for entry in results]


def _ranked(kind: str, period: str, data: dict, limit: int, user) -> dict:
    current, previous = data["current"], data["previous"]
    # What became unplayable (a track) or hidden (an album) since the chart was computed
    # leaves it at once, in the current and the previous ranking alike.
    shown_now = {
        "tracks": catalog_selectors.playable_track_ids,
        "albums": catalog_selectors.shown_album_ids,
    }.get(kind)
    if shown_now is not None:
        shown = shown_now([entry[0] for entry in current] + previous)
        current = [entry for entry in current if entry[0] in shown]
        previous = [pk for pk in previous if pk in shown]
    current = current[:limit]
    ranks = {pk: rank for rank, pk in enumerate(previous, start=1)}
    ids = [entry[0] for entry in current]
    subjects = _subjects(kind, ids, user)
    singular = kind[:-1]
    results = []
    for rank, (pk, count, listeners) in enumerate(current, start=1):
        if pk not in subjects:  # deleted since the chart was computed
            continue
        results.append(
            {
                "rank": rank,
                "previous_rank": ranks.get(pk),
                "movement": _movement(rank, ranks.get(pk)),
                "count": count,
                "listeners": listeners,
                singular: subjects[pk],
            }
        )
    return {"period": period, "from": data["from"], "to": data["to"], "results": results}


def _subjects(kind: str, ids: list[int], user) -> dict:
    if kind == "tracks":
        tracks = catalog_selectors.track_list(user=user).filter(pk__in=ids)
        return {track.pk: track for track in tracks}
    if kind == "artists":
        return catalog_selectors.artists_by_id(ids)
    return {
        pk: {"id": pk, "title": album.title, "artist": album.artist}
        for pk, album in catalog_selectors.albums_by_id(ids).items()
    }
