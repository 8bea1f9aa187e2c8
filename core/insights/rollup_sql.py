"""The SQL that reads a listener's rollups of a window: its rows per track and per genre, from
the month rows of the whole UTC months inside it and the finer rows of the rest."""

from django.db import connection

from core.insights.keeping import Span
from core.insights.models import ListenerGenreSpan
from core.insights.periods import Window, spans_of


def _instant(value) -> object:
    return connection.ops.adapt_datetimefield_value(value)


def _day(value) -> object:
    return connection.ops.adapt_datefield_value(value)


_TRACK_COLUMNS = "track_id, listens, ms, artist_id, album_id"


def sum_ms(column: str) -> str:
    """The exact sum of a bigint column of milliseconds, as a bigint. PostgreSQL sums bigints
    as numeric, which made the per-track, artist and album sums of a long period a third of
    its cost; doubles hold every integer below 2^53 exactly (285,000 years in milliseconds),
    so their sums are exact. Listen counts are summed from integers, which PostgreSQL sums
    as bigints."""
    return f"CAST(sum(CAST({column} AS double precision)) AS bigint)"


def track_rows_sql(
    user_id: int, window: Window | Span, *, where: str = "", where_params: tuple = ()
) -> tuple[str, tuple]:
    """The listener's rollup rows of `window` (track_id, listens, ms, artist_id, album_id): the
    month rows of the whole UTC months inside it and the quarter-hour rows of the rest
    (periods.Spans), each an index range of the listener's rows; `where` narrows each part."""
    spans = spans_of(window.start, window.end)
    narrow = f" AND ({where})" if where else ""
    parts, params = [], []
    for start, end in spans.outside_months():
        parts.append(
            f"SELECT {_TRACK_COLUMNS} FROM core_listenerquarterhour "  # noqa: S608 (fixed names)
            f"WHERE user_id = %s AND bucket >= %s AND bucket < %s{narrow}"
        )
        params += [user_id, _instant(start), _instant(end), *where_params]
    if spans.months is not None:
        parts.append(
            f"SELECT {_TRACK_COLUMNS} FROM core_listenermonth "  # noqa: S608 (fixed names)
            f"WHERE user_id = %s AND month >= %s AND month < %s{narrow}"
        )
        params += [user_id, _day(spans.months[0]), _day(spans.months[1]), *where_params]
    return " UNION ALL ".join(parts), tuple(params)


def per_track_sql(user_id: int, window: Window | Span | None) -> tuple[str, tuple]:
    """Per listened track of `window` (all time for None): track_id, count, played, artist,
    album."""
    if window is None:
        return (
            "SELECT track_id, listens AS count, ms AS played, artist_id AS artist, "
            "album_id AS album FROM core_listenertrack WHERE user_id = %s",
            (user_id,),
        )
    rows, params = track_rows_sql(user_id, window)
    return (
        "SELECT track_id, CAST(sum(listens) AS integer) AS count, "  # noqa: S608 (fixed names)
        f"{sum_ms('ms')} AS played, "
        f"max(artist_id) AS artist, max(album_id) AS album FROM ({rows}) listened "
        "GROUP BY track_id",
        params,
    )


def per_genre_sql(user_id: int, window: Window | Span | None) -> tuple[str, tuple]:
    """Per genre of `window` (all time for None): genre_id, count, played, a listen counting
    once for each genre of its track. From the genre spans of its whole UTC months and days,
    and the quarter-hour rows of its partial UTC days joined to their tracks' genres."""
    if window is None:
        return (
            "SELECT genre_id, CAST(sum(listens) AS integer) AS count, "  # noqa: S608 (fixed names)
            f"{sum_ms('ms')} AS played FROM core_listenergenrespan "
            "WHERE user_id = %s AND span = %s GROUP BY genre_id",
            (user_id, ListenerGenreSpan.MONTH),
        )
    spans = spans_of(window.start, window.end)
    parts, params = [], []
    span_rows = (
        "SELECT genre_id, listens, ms FROM core_listenergenrespan "
        "WHERE user_id = %s AND span = %s AND start >= %s AND start < %s"
    )
    if spans.months is not None:
        parts.append(span_rows)
        params += [user_id, ListenerGenreSpan.MONTH, *map(_day, spans.months)]
    for first, end in spans.days:
        parts.append(span_rows)
        params += [user_id, ListenerGenreSpan.DAY, _day(first), _day(end)]
    for start, end in spans.quarters:
        parts.append(
            "SELECT genre.genre_id, quarter.listens, quarter.ms "
            "FROM core_listenerquarterhour quarter JOIN core_listenedtrackgenre genre "
            "ON genre.track_id = quarter.track_id "
            "WHERE quarter.user_id = %s AND quarter.bucket >= %s AND quarter.bucket < %s"
        )
        params += [user_id, _instant(start), _instant(end)]
    rows = " UNION ALL ".join(parts)
    return (
        "SELECT genre_id, CAST(sum(listens) AS integer) AS count, "  # noqa: S608 (fixed names)
        f"{sum_ms('ms')} AS played "
        f"FROM ({rows}) listened GROUP BY genre_id",
        tuple(params),
    )


def period_ctes(user_id: int, window: Window | Span | None) -> tuple[str, tuple]:
    per_track, track_params = per_track_sql(user_id, window)
    per_genre, genre_params = per_genre_sql(user_id, window)
    return (
        f"WITH per_track AS ({per_track}), per_genre AS ({per_genre}) ",
        (*track_params, *genre_params),
    )
