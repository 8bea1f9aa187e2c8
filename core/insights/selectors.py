"""Reads of one listener's insights, from the rollups: a constant number of queries whatever
the limit or the length of the history."""

from dataclasses import dataclass
from datetime import UTC, date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models import F

from core.catalog import selectors as catalog_selectors
from core.insights import activity
from core.insights.keeping import (
    Span,
    Versions,
    kept_figures,
    settled_edge,
    stats_versions,
)
from core.insights.models import ListenedTrack, ListenerQuarterHour, ListenerTrack
from core.insights.periods import Window, window_for, year_window
from core.insights.rollup_sql import period_ctes, sum_ms
from core.insights.sums import SettledSums, minutes, span_sums

RECAP_TOP = 5
RECAP_NEW_ARTISTS = 50
# Every genre of a year shows its share in the recap, down to this many.
RECAP_GENRES = 1000
TOP_KINDS = ("tracks", "artists", "albums", "genres")


def share(count: int, total: int) -> float:
    """Percent of `total`, one decimal."""
    return round(count * 100 / total, 1) if total else 0.0


def _quarters(user_id: int, window: Window | Span) -> models.QuerySet:
    """The listener's quarter-hour rows of `window`."""
    return ListenerQuarterHour.objects.filter(
        user_id=user_id, bucket__gte=window.start, bucket__lt=window.end
    )


ZERO_TOTALS = {"listens": 0, "minutes": 0.0, "tracks": 0, "artists": 0, "albums": 0}

# One statement per period: the listener's rows of the period summed per track in one index
# range scan (per_track), then each kind's top ranked from those sums (a top-N sort each), and
# the totals; the listened tracks' labels are read for the rows that made the cut only.
# docs/architecture.md#insights has the plans.
_ORDER = "count DESC, played DESC, key"
# The artists and albums sums under their own names: `count` there would name both the sum and
# per_track's column.
_SUMMED_ORDER = "total DESC, total_played DESC, key"
_PERIOD_SQL = """
{ctes}
SELECT * FROM (
    SELECT 'tracks' AS kind, track_id AS key, count, played, artist, album, 0 AS artists,
        0 AS albums FROM per_track ORDER BY {order} LIMIT %s) tracks
UNION ALL SELECT * FROM (
    SELECT 'artists', artist AS key, sum(count) AS total,
        {sum_played} AS total_played, {none}, {none}, 0, 0
    FROM per_track GROUP BY artist ORDER BY {summed_order} LIMIT %s) artists
UNION ALL SELECT * FROM (
    SELECT 'albums', album AS key, sum(count) AS total,
        {sum_played} AS total_played, max(artist), {none}, 0, 0
    FROM per_track WHERE album IS NOT NULL GROUP BY album ORDER BY {summed_order} LIMIT %s) albums
UNION ALL SELECT * FROM (
    SELECT 'genres', genre_id AS key, count, played, {none}, {none}, 0, 0
    FROM per_genre ORDER BY {order} LIMIT %s) genres
UNION ALL
SELECT 'totals', count(*), coalesce(sum(count), 0), coalesce({sum_played}, 0), {none}, {none},
    count(DISTINCT artist), count(DISTINCT album)
FROM per_track
"""
_LABELS_SQL = """
SELECT ranked.*,
    CASE kind
        WHEN 'tracks' THEN (SELECT title FROM core_listenedtrack WHERE track_id = ranked.key)
        WHEN 'artists' THEN
            (SELECT max(artist_name) FROM core_listenedtrack WHERE artist_id = ranked.key)
        WHEN 'albums' THEN
            (SELECT max(album_title) FROM core_listenedtrack WHERE album_id = ranked.key)
        WHEN 'genres' THEN (SELECT genre_name FROM core_listenedtrackgenre
            WHERE genre_id = ranked.key ORDER BY track_id DESC LIMIT 1)
    END AS name,
    CASE kind
        WHEN 'tracks' THEN
            (SELECT artist_name FROM core_listenedtrack WHERE track_id = ranked.key)
        WHEN 'albums' THEN
            (SELECT max(artist_name) FROM core_listenedtrack WHERE album_id = ranked.key)
    END AS artist_name,
    CASE kind WHEN 'tracks' THEN
        (SELECT album_title FROM core_listenedtrack WHERE track_id = ranked.key)
    END AS album_title
FROM ({ranked}) ranked
"""


# The previous period's rank of the items a top list shows, each kind ranked in full (so a rank
# is exact however deep) but only the shown items' ranks leave the server.
_RANKS_SQL = {
    "tracks": "SELECT 'tracks' AS kind, track_id AS key, row_number() OVER "
    "(ORDER BY count DESC, played DESC, track_id) AS rank FROM per_track",
    "artists": "SELECT 'artists' AS kind, artist AS key, row_number() OVER "  # noqa: S608 (fixed names)
    f"(ORDER BY sum(count) DESC, {sum_ms('played')} DESC, artist) "
    "AS rank FROM per_track GROUP BY artist",
    "albums": "SELECT 'albums' AS kind, album AS key, row_number() OVER "  # noqa: S608 (fixed names)
    f"(ORDER BY sum(count) DESC, {sum_ms('played')} DESC, album) "
    "AS rank FROM per_track "
    "WHERE album IS NOT NULL GROUP BY album",
    "genres": "SELECT 'genres' AS kind, genre_id AS key, row_number() OVER "
    "(ORDER BY count DESC, played DESC, genre_id) AS rank FROM per_genre",
}
_TOTALS_SQL = """
SELECT 'totals', count(*), 0, coalesce(sum(count), 0), coalesce({sum_played}, 0),
    count(DISTINCT artist), count(DISTINCT album) FROM per_track
""".format(sum_played=sum_ms("played"))


def _totals(row) -> dict:
    """A totals row: (.., tracks, .., listens, ms, artists, albums); sums may be Decimal."""
    return {
        "listens": int(row[3]),
        "minutes": minutes(int(row[4])),
        "tracks": row[1],
        "artists": row[5],
        "albums": row[6],
    }


@dataclass
class PreviousFigures:
    totals: dict
    ranks: dict[str, dict[int, int]]


def previous_figures(
    user_id: int, window: Window, *, shown: dict[str, list[int]]
) -> PreviousFigures:
    """The totals of the listener's `window` and the rank there of each item of `shown`
    (kind -> ids) that has one. One query."""
    ctes, params = period_ctes(user_id, window)
    parts, keys = [], []
    for kind, ids in shown.items():
        if not ids:
            continue
        marks = ", ".join(["%s"] * len(ids))
        ranked = _RANKS_SQL[kind]
        parts.append(
            f"SELECT kind, key, rank, 0, 0, 0, 0 FROM ({ranked}) {kind} "  # noqa: S608
            f"WHERE key IN ({marks})"
        )
        keys.extend(ids)
    statement = ctes + " UNION ALL ".join([*parts, _TOTALS_SQL])
    ranks: dict[str, dict[int, int]] = {kind: {} for kind in shown}
    totals = ZERO_TOTALS
    with connection.cursor() as cursor:
        cursor.execute(statement, (*params, *keys))
        for row in cursor.fetchall():
            if row[0] == "totals":
                totals = _totals(row) if row[1] else ZERO_TOTALS
            else:
                ranks[row[0]][row[1]] = row[2]
    return PreviousFigures(totals=totals, ranks=ranks)


@dataclass
class PeriodFigures:
    totals: dict
    top: dict[str, list[dict]]
    ms: int = 0  # the totals' exact milliseconds (totals show minutes)


def period_figures(
    user_id: int, window: Window | None, *, limits: dict[str, int], labels: bool
) -> PeriodFigures:
    """The totals of the listener's `window` (all time for None) and each kind's first
    `limits[kind]`, best first: most listens, then most time, then lowest id; with their
    labels if `labels`. One query."""
    ctes, params = period_ctes(user_id, window)
    statement = _PERIOD_SQL.format(
        sum_played=sum_ms("played"),
        ctes=ctes,
        order=_ORDER,
        summed_order=_SUMMED_ORDER,
        none="CAST(NULL AS bigint)",
    )
    if labels:
        statement = _LABELS_SQL.format(ranked=statement)
    with connection.cursor() as cursor:
        cursor.execute(statement, (*params, *(limits.get(kind, 0) for kind in TOP_KINDS)))
        names = [column[0] for column in cursor.description]
        found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    top: dict[str, list[dict]] = {kind: [] for kind in TOP_KINDS if limits.get(kind, 0)}
    totals = ZERO_TOTALS
    for row in found:
        # PostgreSQL sums bigints as numeric.
        row["count"], row["ms"] = int(row["count"]), int(row.pop("played"))
        if row["kind"] == "totals":
            total_ms = row["ms"]
            totals = {
                "listens": row["count"],
                "minutes": minutes(row["ms"]),
                "tracks": row["key"],
                "artists": row["artists"],
                "albums": row["albums"],
            }
        else:
            top[row["kind"]].append(row)
    for entries in top.values():  # UNION ALL keeps no order
        entries.sort(key=_rank_key)
    return PeriodFigures(totals=totals, top=top, ms=total_ms if totals is not ZERO_TOTALS else 0)


def _rank_key(row: dict) -> tuple:
    return (-row["count"], -row["ms"], row["key"])


# A split period whose fresh part holds more keys of a kind than this is computed whole.
FRESH_KEYS_MAX = 1000

_FRESH_SQL = """{ctes}
SELECT 'tracks', track_id, count, played, artist, album FROM per_track
UNION ALL SELECT 'genres', genre_id, count, played, NULL, NULL FROM per_genre
"""


def _fresh_sums(user_id: int, span: Span) -> dict[str, dict[int, list]]:
    """Every track's and genre's sums of `span`, and the artists' and albums' from them:
    kind -> key -> [count, ms, artist, album] (an album's artist: the greatest id of its
    tracks' artists, as period_figures has it)."""
    ctes, params = period_ctes(user_id, span)
    sums: dict[str, dict[int, list]] = {kind: {} for kind in TOP_KINDS}
    with connection.cursor() as cursor:
        cursor.execute(_FRESH_SQL.format(ctes=ctes), params)
        rows = cursor.fetchall()
    for kind, key, count, played, artist, album in rows:
        count, played = int(count), int(played)
        if kind == "genres":
            sums["genres"][key] = [count, played, None, None]
            continue
        sums["tracks"][key] = [count, played, artist, album]
        for into, group, label in (("artists", artist, None), ("albums", album, artist)):
            if group is None:
                continue
            entry = sums[into].setdefault(group, [0, 0, label, None])
            entry[0] += count
            entry[1] += played
            if label is not None:
                entry[2] = max(entry[2], label)
    return sums


def _settled_figures(sums: SettledSums, limits: dict[str, int]) -> PeriodFigures:
    """period_figures (with labels) of the span `sums` hold, ranked from them: one query, for
    the labels of the listed rows."""
    top = {kind: sums.top(kind, limit) for kind, limit in limits.items()}
    _with_labels(top)
    totals, total_ms = sums.totals()
    return PeriodFigures(totals=totals or ZERO_TOTALS, top=top, ms=total_ms)


def _with_labels(top: dict[str, list[dict]]) -> None:
    """Fill in the labels (_LABELS_SQL's) of the rows of `top` that lack them. One query."""
    missing = [row for rows in top.values() for row in rows if "name" not in row]
    if not missing:
        return
    # One VALUES list: planned once, where a SELECT per row made planning most of the cost.
    listed = ", ".join(["(%s, CAST(%s AS bigint))"] * len(missing))
    ranked = f"SELECT column1 AS kind, column2 AS key FROM (VALUES {listed}) listed"  # noqa: S608
    by_key = {(row["kind"], row["key"]): row for row in missing}
    with connection.cursor() as cursor:
        params = [value for row in missing for value in (row["kind"], row["key"])]
        cursor.execute(_LABELS_SQL.format(ranked=ranked), params)
        for kind, key, name, artist_name, album_title in cursor.fetchall():
            by_key[(kind, key)].update(name=name, artist_name=artist_name, album_title=album_title)


def split_period_figures(
    user_id: int, versions: Versions, window: Window | Span, *, limits: dict[str, int]
) -> PeriodFigures | None:
    """period_figures of `window` (with labels) from its settled part, kept under the past
    version with every sum beside its top lists (SettledSums), and its fresh part since the
    settled edge, read each time: a new listen costs the fresh part (a day or two of rows) and
    the labels of what it brings into the top lists, not the whole period. Sums only grow from
    the settled part to the whole, so an item without fresh listens that ranks in the first N
    of the whole ranks in the first N of the settled part: the settled top lists and the fresh
    keys hold every candidate. None when the window does not hold the settled edge or the
    fresh part holds more than FRESH_KEYS_MAX keys of a kind (the caller computes the period
    whole)."""
    edge = settled_edge()
    if not window.start < edge < window.end:
        return None
    fresh = _fresh_sums(user_id, Span(edge, window.end))
    if any(len(keys) > FRESH_KEYS_MAX for keys in fresh.values()):
        return None
    settled = Span(window.start, edge)
    shown = {kind: limit for kind, limit in limits.items() if limit}
    # The sums (some 40 bytes per track, artist and album of the span) are kept once per span,
    # the top lists ranked from them once per limit.
    sums = kept_figures(
        user_id, versions, settled, ("sums",), lambda: span_sums(user_id, versions, settled)
    )
    past = kept_figures(
        user_id,
        versions,
        settled,
        ("period", sorted(shown.items())),
        lambda: _settled_figures(sums, shown),
    )
    before = {kind: {k: sums.get(kind, k) for k in fresh[kind]} for kind in TOP_KINDS}
    top: dict[str, list[dict]] = {}
    for kind in shown:
        rows = {row["key"]: row for row in past.top[kind]}
        for key, (count, ms, artist, album) in fresh[kind].items():
            old_count, old_ms, old_artist = before[kind][key] or (0, 0, None)
            if kind == "albums" and old_artist is not None:
                artist = max(artist, old_artist)
            rows[key] = {
                "kind": kind,
                "key": key,
                "count": old_count + count,
                "ms": old_ms + ms,
                "artist": artist if kind in ("tracks", "albums") else None,
                "album": album if kind == "tracks" else None,
            }
        top[kind] = sorted(rows.values(), key=_rank_key)[: limits[kind]]
    _with_labels(top)
    new = {kind: sum(1 for key in fresh[kind] if before[kind][key] is None) for kind in TOP_KINDS}
    ms = past.ms + sum(entry[1] for entry in fresh["tracks"].values())
    totals = {
        "listens": past.totals["listens"] + sum(e[0] for e in fresh["tracks"].values()),
        "minutes": minutes(ms),
        "tracks": past.totals["tracks"] + new["tracks"],
        "artists": past.totals["artists"] + new["artists"],
        "albums": past.totals["albums"] + new["albums"],
    }
    if not totals["listens"]:
        totals = ZERO_TOTALS
    return PeriodFigures(totals=totals, top=top, ms=ms)


def _subject(kind: str, row: dict, playable: set[int]) -> dict:
    key = row["key"]
    if kind == "tracks":
        album = None
        if row["album"] is not None:
            album = {"id": row["album"], "title": row["album_title"]}
        return {
            "id": key,
            "title": row["name"],
            "artist": {"id": row["artist"], "name": row["artist_name"]},
            "album": album,
            "playable": key in playable,
        }
    if kind == "albums":
        artist = {"id": row["artist"], "name": row["artist_name"]}
        return {"id": key, "title": row["name"], "artist": artist}
    return {"id": key, "name": row["name"]}


def shown_keys(current: PeriodFigures) -> dict[str, list[int]]:
    """The ids each top list of `current` shows, whose previous ranks are wanted."""
    return {kind: [row["key"] for row in top] for kind, top in current.top.items()}


def top_lists(
    current: PeriodFigures, previous: PreviousFigures | None, *, playable: set[int] | None = None
) -> dict[str, list[dict]]:
    """Each kind's top, with ranks in `previous` (None: no previous period); `playable`: which
    of the listed tracks the catalog plays (read here when not given)."""
    if playable is None:
        track_ids = [row["key"] for row in current.top.get("tracks", [])]
        playable = catalog_selectors.playable_track_ids(track_ids) if track_ids else set()
    total = current.totals["listens"]
    result = {}
    for kind, top in current.top.items():
        before = {} if previous is None else previous.ranks.get(kind, {})
        result[kind] = [
            {
                "rank": rank,
                "previous_rank": before.get(row["key"]),
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
    # The earliest quarter hour's rows only, in the unique index's order (a minimum over
    # ListenerTrack read one row per track ever heard).
    first = (
        ListenerQuarterHour.objects.filter(user_id=user_id)
        .order_by("bucket", "first_at")
        .values_list("first_at", flat=True)
        .first()
    )
    return None if first is None else first.astimezone(tz).date()


@dataclass(frozen=True)
class StatsQuery:
    period: str
    tz: ZoneInfo
    limit: int = 10
    first: date | None = None
    last: date | None = None


def _period(
    user_id: int,
    versions: Versions,
    window: Window,
    source: Window | None,
    limits: dict[str, int],
) -> PeriodFigures:
    """The figures of `window` (with labels). When figures are kept: a settled window's from
    the sums of its months (span_sums), one that holds the settled edge split there
    (split_period_figures); else whole from `source` (None: all time, from ListenerTrack)."""
    if settings.INSIGHTS_STATS_CACHE_SECONDS:
        if window.end <= settled_edge():
            sums = span_sums(user_id, versions, Span(window.start, window.end))
            return _settled_figures(sums, {kind: n for kind, n in limits.items() if n})
        split = split_period_figures(user_id, versions, window, limits=limits)
        if split is not None:
            return split
    return period_figures(user_id, source, limits=limits, labels=True)


def _first_day(user_id: int, versions: Versions, tz: ZoneInfo) -> date | None:
    return kept_figures(
        user_id, versions, None, ("first day", tz.key), lambda: first_listen_day(user_id, tz)
    )


def _kept_previous(
    user_id: int, versions: Versions, previous: Window, current: PeriodFigures
) -> PreviousFigures:
    """previous_figures of the items `current` shows, kept while they are the same items; a
    settled window's from the sums of its months (span_sums), which the next days reuse."""
    shown = shown_keys(current)

    def compute() -> PreviousFigures:
        if previous.end > settled_edge():
            return previous_figures(user_id, previous, shown=shown)
        sums = span_sums(user_id, versions, Span(previous.start, previous.end))
        totals, _ = sums.totals()
        ranks = {kind: sums.ranks(kind, ids) for kind, ids in shown.items()}
        return PreviousFigures(totals=totals or ZERO_TOTALS, ranks=ranks)

    return kept_figures(
        user_id,
        versions,
        previous,
        ("previous", sorted((kind, tuple(ids)) for kind, ids in shown.items())),
        compute,
    )


def listener_stats(*, user_id: int, query: StatsQuery) -> dict:
    """Totals and top lists of a period, beside those of the period of the same length before."""
    versions = stats_versions(user_id)
    if query.period == "all":
        window = window_for("all", tz=query.tz, first=_first_day(user_id, versions, query.tz))
        source, previous = None, None
    else:
        window = window_for(query.period, tz=query.tz, first=query.first, last=query.last)
        source, previous = window, window.previous()
    limits = dict.fromkeys(TOP_KINDS, query.limit)
    current = kept_figures(
        user_id,
        versions,
        source,
        ("period", query.limit),
        lambda: _period(user_id, versions, window, source, limits),
    )
    before = None
    if previous is not None:
        before = _kept_previous(user_id, versions, previous, current)
    return {
        "period": {"from": window.first, "to": window.last},
        "totals": current.totals,
        "previous_totals": ZERO_TOTALS if before is None else before.totals,
        "top": top_lists(current, before),
    }


def listener_activity(*, user_id: int, query: StatsQuery) -> dict:
    """When the listener listens, in their time zone: by hour, weekday, month and day."""
    versions = stats_versions(user_id)
    first = _first_day(user_id, versions, query.tz) if query.period == "all" else query.first
    window = window_for(query.period, tz=query.tz, first=first, last=query.last)
    return activity.figures(activity.kept_cells(user_id, versions, window), window)


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
        .values("artist_id")
        .annotate(first=models.Min("first_at"))
        .filter(first__gte=window.start, first__lt=window.end)
        .order_by()
    )
    sql, params = firsts.query.sql_with_params()
    name = "SELECT max(artist_name) FROM core_listenedtrack WHERE artist_id = top.artist_id"
    statement = (
        f"SELECT top.artist_id, top.total, ({name}) FROM "  # noqa: S608 (fixed names)
        f"(SELECT ranked.*, count(*) OVER () AS total FROM ({sql}) ranked "
        "ORDER BY ranked.first, ranked.artist_id LIMIT %s) top ORDER BY top.first, top.artist_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, (*params, RECAP_NEW_ARTISTS))
        rows = cursor.fetchall()
    items = [{"id": artist_id, "name": name} for artist_id, _, name in rows]
    return {"count": rows[0][1] if rows else 0, "items": items}


def _first_listen(user_id: int, window: Window) -> dict | None:
    """The listener's first listen of `window`, with its track's labels."""
    # The earliest listen started in the earliest quarter hour: read in the index's order.
    first = (
        _quarters(user_id, window)
        .order_by("bucket", "first_at", "track_id")
        .values("first_at", "track_id")
        .first()
    )
    return None if first is None else _first_listen_labels(first)


def listener_recap(*, user_id: int, year: int, tz: ZoneInfo) -> dict:
    """A year in review, in the listener's time zone. Each part is kept on its own
    (kept_figures): after a new listen this year's recap reads this year's fresh days, its first
    listen and new artists again, not last year's ranks or this year's settled months."""
    window = year_window(year, tz)
    versions = stats_versions(user_id)
    limits = {**dict.fromkeys(TOP_KINDS, RECAP_TOP), "genres": RECAP_GENRES}
    current = kept_figures(
        user_id,
        versions,
        window,
        ("period", sorted(limits.items())),
        lambda: _period(user_id, versions, window, window, limits),
    )
    before = _kept_previous(user_id, versions, year_window(year - 1, tz), current)
    first = kept_figures(
        user_id, versions, window, ("first listen",), lambda: _first_listen(user_id, window)
    )
    new_artists = kept_figures(
        user_id, versions, window, ("new artists",), lambda: _new_artists(user_id, window)
    )
    days = activity.figures(activity.kept_cells(user_id, versions, window), window)
    track_ids = [row["key"] for row in current.top.get("tracks", [])]
    if first is not None:
        track_ids.append(first["key"])
    playable = catalog_selectors.playable_track_ids(track_ids) if track_ids else set()
    lists = top_lists(current, before, playable=playable)
    top = {kind: entries[:RECAP_TOP] for kind, entries in lists.items()}
    months = days["by_month"]
    listens = current.totals["listens"]
    return {
        "year": year,
        "totals": current.totals,
        "top": top,
        "top_month": months.index(max(months)) + 1 if listens else None,
        "longest_streak": _longest_streak(days["daily"]),
        "first_listen": None
        if first is None
        else {"track": _subject("tracks", first, playable), "at": first["at"]},
        "new_artists": new_artists,
        "genres": [{"genre": g["genre"], "share": g["share"]} for g in lists["genres"]],
    }


def _first_listen_labels(row: dict) -> dict:
    """The labels of the track of the first listen `row` (first_at, track_id), and when."""
    track = (
        ListenedTrack.objects.filter(pk=row["track_id"])
        .values("artist_name", "album_title", name=F("title"), artist=F("artist_id"))
        .annotate(album=F("album_id"))
        .get()
    )
    return {"key": row["track_id"], **track, "at": row["first_at"].astimezone(UTC)}
