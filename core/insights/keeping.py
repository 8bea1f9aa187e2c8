"""What a listener's computed statistics are kept under: the versions of their rollups, the
settled edge past which rollup rows no longer change with new listens, and the cache that holds
the figures (kept_figures)."""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.catalog import caching
from core.insights.models import SETTLED_AFTER, ListenerStatsVersion
from core.insights.periods import Window


@dataclass(frozen=True)
class Span:
    """The UTC instants [start, end)."""

    start: datetime
    end: datetime


def settled_edge() -> datetime:
    """Midnight UTC of the day SETTLED_AFTER ago: the rollup rows before it change only with a
    listener's `past_version`, so what is read from them stays kept while new listens arrive."""
    edge = timezone.now() - SETTLED_AFTER
    return edge.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


# A PostgreSQL sequence a rebuild of the rollups moves (services.settled_changed), for figures
# of many listeners' settled rows (an artist's statistics, with ArtistDayVersion); migration
# 0048.
SETTLED_GENERATION = "core_insights_settled_generation"


def settled_generation() -> int | None:
    """Where the rebuilds of the rollups stand; None on SQLite (no sequence)."""
    return caching.sequence_position(SETTLED_GENERATION)


@dataclass(frozen=True)
class Versions:
    """Where a listener's rollups stand (ListenerStatsVersion; 0 before their first change)."""

    current: int = 0
    past: int = 0

    def of(self, window: Window | Span | None) -> str:
        """What figures of `window` (None: all time) depend on: `past` for a window that ended
        SETTLED_AFTER ago or more (no live listen lands in it), else `current`."""
        if window is not None and window.end <= timezone.now() - SETTLED_AFTER:
            return f"p{self.past}"
        return f"c{self.current}"


def stats_versions(user_id: int) -> Versions:
    found = (
        ListenerStatsVersion.objects.filter(user_id=user_id)
        .values_list("version", "past_version")
        .first()
    )
    return Versions() if found is None else Versions(*found)


Kept = TypeVar("Kept")


def kept_figures(
    user_id: int,
    versions: Versions,
    window: Window | Span | None,
    what: tuple,
    compute: Callable[[], Kept],
) -> Kept:
    """`compute()`, the figures `what` of the listener's `window` (None: all time), kept in the
    cache under the version they depend on for INSIGHTS_STATS_CACHE_SECONDS: a listener's
    dashboard is computed again only once their rollups changed (a new listen, an import, a
    rebuild, a cleared history), and figures of past windows survive new listens. Only
    rollup-derived figures are kept; what the catalog decides (playable tracks) is read per
    request."""
    seconds = settings.INSIGHTS_STATS_CACHE_SECONDS
    if not seconds:
        return compute()
    bounds = "all" if window is None else f"{window.start.isoformat()}/{window.end.isoformat()}"
    state = repr((user_id, versions.of(window), bounds, what))
    key = "insights:kept:" + hashlib.blake2b(state.encode(), digest_size=16).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found


# What kept pieces depend on: one state for all, or each piece's own.
State = tuple | Callable[[date], tuple]


def kept_each(prefix: str, state: State, items: list[date], read: Callable[[list], dict]) -> list:
    """The value of each of `items` (pieces of a history that no longer change: whole past
    months or days), kept under `state` (what they depend on, such as a past version; or a
    function giving each piece's) for INSIGHTS_MONTHS_CACHE_SECONDS after their last use:
    `read(missing)` gives the missing ones, `{item: value}`, at once. Kept again once half
    their time has passed, so what a listener or manager keeps coming back to stays kept."""
    seconds = settings.INSIGHTS_MONTHS_CACHE_SECONDS
    if not seconds:
        found = read(items) if items else {}
        return [found[item] for item in items]
    keys = _keys(prefix, state, items)
    found = cache.get_many(list(keys.values()))
    now = time.time()
    renewed = {key: kept for key, kept in found.items() if now - kept[0] > seconds / 2}
    missing = [item for item in items if keys[item] not in found]
    if missing:
        fresh = read(missing)
        for item in missing:
            found[keys[item]] = renewed[keys[item]] = (now, fresh[item])
    if renewed:
        cache.set_many({key: (now, kept) for key, (_, kept) in renewed.items()}, seconds)
    return [found[keys[item]][1] for item in items]


def _keys(prefix: str, state: State, items: list[date]) -> dict[date, str]:
    def of(item: date) -> tuple:
        return state(item) if callable(state) else state

    # str(): a day's text, the same whatever class of date made it.
    return {
        item: f"insights:{prefix}:"
        + hashlib.blake2b(repr((of(item), str(item))).encode(), digest_size=16).hexdigest()
        for item in items
    }
