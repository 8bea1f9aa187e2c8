"""Every key's sums of a settled span of one listener's history (before the settled edge), from
the sums of each whole UTC month inside it, kept on their own, and one read of the rest: a
long period's figures are computed again every day (its bounds move), but its months change
only with the listener's `past_version`, so the day's first view reads the weeks at its two
ends, not the whole period."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TypeVar

import numpy as np
from django.db import connection

from core.insights.keeping import Span, Versions, kept_each
from core.insights.models import ListenerGenreSpan
from core.insights.periods import spans_of
from core.insights.rollup_sql import per_genre_sql, per_track_sql

KINDS = ("tracks", "artists", "albums", "genres")
# A track's album when it has none: below every id, real (positive) or of listens from
# elsewhere (negative, core/insights/external.py), so the greatest album of a track's rows is
# the one SQL's max() gives.
NO_ALBUM = int(np.iinfo(np.int64).min)
_TRACK_WIDTH, _GENRE_WIDTH = 5, 3


def minutes(ms: int) -> float:
    return round(ms / 60000, 1)


@dataclass
class Block:
    """The sums of a span: by track, rows of (track, listens, ms, artist, album or NO_ALBUM), and by
    genre, rows of (genre, listens, ms); int64, in no order."""

    tracks: np.ndarray
    genres: np.ndarray


def _rows(values: list, width: int) -> np.ndarray:
    return np.array(values, dtype=np.int64).reshape(-1, width)


@dataclass
class SettledSums:
    """Every key's sums of a span, by kind: the keys in order with their listens, milliseconds,
    artist (a track's, an album's; else 0) and album (a track's, or NO_ALBUM), as int64 arrays,
    compact to keep and quick to load."""

    keys: dict[str, np.ndarray]
    counts: dict[str, np.ndarray]
    ms: dict[str, np.ndarray]
    artists: dict[str, np.ndarray]
    albums: dict[str, np.ndarray]

    def get(self, kind: str, key: int) -> tuple[int, int, int] | None:
        """(listens, ms, the album's artist or 0) of `key`, None if the span has none."""
        keys = self.keys[kind]
        at = int(np.searchsorted(keys, key))
        if at == len(keys) or keys[at] != key:
            return None
        return int(self.counts[kind][at]), int(self.ms[kind][at]), int(self.artists[kind][at])

    def _order(self, kind: str) -> np.ndarray:
        """Positions best first: most listens, most time, lowest id."""
        return np.lexsort((self.keys[kind], -self.ms[kind], -self.counts[kind]))

    def top(self, kind: str, limit: int) -> list[dict]:
        """The first `limit` of `kind`, best first, as period_figures has them without
        labels."""
        keys, counts, ms = self.keys[kind], self.counts[kind], self.ms[kind]
        artists, albums = self.artists[kind], self.albums[kind]
        return [
            {
                "kind": kind,
                "key": int(keys[i]),
                "count": int(counts[i]),
                "ms": int(ms[i]),
                "artist": int(artists[i]) if kind in ("tracks", "albums") else None,
                "album": _album(int(albums[i])) if kind == "tracks" else None,
            }
            for i in self._order(kind)[:limit]
        ]

    def ranks(self, kind: str, wanted: list[int]) -> dict[int, int]:
        """The rank (1 = best) of each key of `wanted` that the span has."""
        keys = self.keys[kind]
        if not wanted:
            return {}
        rank = np.empty(len(keys), dtype=np.int64)
        rank[self._order(kind)] = np.arange(1, len(keys) + 1)
        found = {}
        for key in wanted:
            at = int(np.searchsorted(keys, key))
            if at < len(keys) and keys[at] == key:
                found[key] = int(rank[at])
        return found

    def totals(self) -> tuple[dict | None, int]:
        """The span's totals as period figures show them (None without listens), and its
        exact milliseconds."""
        counts = self.counts["tracks"]
        if not len(counts):
            return None, 0
        total_ms = int(self.ms["tracks"].sum())
        return {
            "listens": int(counts.sum()),
            "minutes": minutes(total_ms),
            "tracks": len(counts),
            "artists": len(self.keys["artists"]),
            "albums": len(self.keys["albums"]),
        }, total_ms


def _album(album: int) -> int | None:
    return None if album == NO_ALBUM else album


def _grouped(at: np.ndarray, size: int, values: np.ndarray, combine) -> np.ndarray:
    # Sums start at 0, greatest values below every id (ids from elsewhere are negative).
    out = np.full(size, 0 if combine is np.add else NO_ALBUM, dtype=np.int64)
    combine.at(out, at, values)
    return out


def merged(blocks: list[Block]) -> SettledSums:
    """The sums of the union of the disjoint spans of `blocks`, with those of artists and albums
    from their tracks' (a track's artist and album: the greatest of its rows', as the SQL of a
    whole period has them)."""
    tracks = np.concatenate([b.tracks for b in blocks] or [_rows([], _TRACK_WIDTH)])
    genres = np.concatenate([b.genres for b in blocks] or [_rows([], _GENRE_WIDTH)])
    sums = SettledSums({}, {}, {}, {}, {})

    def put(kind, keys, at, counts, ms, artists=None, albums=None):
        size = len(keys)
        sums.keys[kind] = keys
        sums.counts[kind] = _grouped(at, size, counts, np.add)
        sums.ms[kind] = _grouped(at, size, ms, np.add)
        for into, values in ((sums.artists, artists), (sums.albums, albums)):
            greatest = None if values is None else _grouped(at, size, values, np.maximum)
            into[kind] = np.zeros(size, np.int64) if greatest is None else greatest

    keys, at = np.unique(tracks[:, 0], return_inverse=True)
    put("tracks", keys, at, tracks[:, 1], tracks[:, 2], tracks[:, 3], tracks[:, 4])
    counts, ms = sums.counts["tracks"], sums.ms["tracks"]
    artist, album = sums.artists["tracks"], sums.albums["tracks"]
    keys, at = np.unique(artist, return_inverse=True)
    put("artists", keys, at, counts, ms)
    on_album = album != NO_ALBUM
    keys, at = np.unique(album[on_album], return_inverse=True)
    put("albums", keys, at, counts[on_album], ms[on_album], artist[on_album])
    keys, at = np.unique(genres[:, 0], return_inverse=True)
    put("genres", keys, at, genres[:, 1], genres[:, 2])
    return sums


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def months_between(first: date, end: date) -> list[date]:
    """The first days of the UTC months from `first` to `end` (exclusive)."""
    months = []
    while first < end:
        months.append(first)
        first = next_month(first)
    return months


_MONTHS_SQL = """
SELECT 0, month, track_id, listens, ms, artist_id, coalesce(album_id, %s)
FROM core_listenermonth WHERE user_id = %s AND month >= %s AND month < %s
UNION ALL
SELECT 1, start, genre_id, listens, ms, 0, 0 FROM core_listenergenrespan
WHERE user_id = %s AND span = %s AND start >= %s AND start < %s
"""


def _read_months(user_id: int, first: date, end: date) -> dict[date, Block]:
    """The Block of each UTC month from `first` to `end` (exclusive), from its month rows: one
    query."""
    bounds = tuple(map(connection.ops.adapt_datefield_value, (first, end)))
    with connection.cursor() as cursor:
        params = (NO_ALBUM, user_id, *bounds, user_id, ListenerGenreSpan.MONTH, *bounds)
        cursor.execute(_MONTHS_SQL, params)
        rows = cursor.fetchall()
    found: dict[date, tuple[list, list]] = {month: ([], []) for month in months_between(first, end)}
    for kind, month, key, listens, ms, artist, album in rows:
        if isinstance(month, str):  # SQLite
            month = date.fromisoformat(month)
        if kind == 0:
            found[month][0].append((key, listens, ms, artist, album))
        else:
            found[month][1].append((key, listens, ms))
    return {
        month: Block(_rows(tracks, _TRACK_WIDTH), _rows(genres, _GENRE_WIDTH))
        for month, (tracks, genres) in found.items()
    }


Kept = TypeVar("Kept")


def kept_months(
    user_id: int,
    versions: Versions,
    months: tuple[date, date],
    what: tuple,
    read: Callable[[date, date], dict[date, Kept]],
) -> list[Kept]:
    """`what` of each UTC month from `months[0]` to `months[1]` (exclusive), all before the
    settled edge, kept under the listener's past version (kept_each); `read(first, end)` gives
    those from `first` to `end`, in one query."""
    return kept_each(
        "month",
        (user_id, f"p{versions.past}", what),
        months_between(*months),
        lambda missing: read(missing[0], next_month(missing[-1])),
    )


def _read_spans(user_id: int, pieces: list[Span]) -> Block:
    """The Block of the disjoint `pieces`, each shorter than a month: one query."""
    parts, params = [], []
    for piece in pieces:
        tracks, track_params = per_track_sql(user_id, piece)
        genres, genre_params = per_genre_sql(user_id, piece)
        parts.append(
            "SELECT 0, track_id, count, played, artist, coalesce(album, %s) "  # noqa: S608
            f"FROM ({tracks}) tracks"
        )
        parts.append(f"SELECT 1, genre_id, count, played, 0, 0 FROM ({genres}) genres")  # noqa: S608
        params += [NO_ALBUM, *track_params, *genre_params]
    if not parts:
        return Block(_rows([], _TRACK_WIDTH), _rows([], _GENRE_WIDTH))
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    tracks = [row[1:] for row in rows if row[0] == 0]
    genres = [row[1:4] for row in rows if row[0] == 1]
    return Block(_rows(tracks, _TRACK_WIDTH), _rows(genres, _GENRE_WIDTH))


def span_sums(user_id: int, versions: Versions, span: Span) -> SettledSums:
    """Every key's sums of the listener's `span`, which ends at or before the settled edge:
    its whole UTC months from month_blocks, the rest read in one query."""
    spans = spans_of(span.start, span.end)
    blocks = []
    if spans.months is not None:
        blocks = kept_months(
            user_id, versions, spans.months, ("sums",), partial(_read_months, user_id)
        )
    pieces = [Span(start, end) for start, end in spans.outside_months()]
    return merged([*blocks, _read_spans(user_id, pieces)])
