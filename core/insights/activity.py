"""When a listener listens: their counted listens and minutes per local day and hour of a
window, from the quarter-hour rollups, as int64 rows (day ordinal, hour, listens, ms) that add
up, so a window's cells are those of its parts: its whole settled UTC months kept on their own
(kept_months), the weeks around them, and the days since the settled edge."""

from datetime import UTC, date, datetime, time
from functools import partial
from zoneinfo import ZoneInfo

import numpy as np
from django.db import models
from django.db.models.functions import ExtractHour, TruncDate, TruncMonth

from core.insights.keeping import Span, Versions, kept_figures, settled_edge
from core.insights.models import ListenerQuarterHour
from core.insights.periods import Window, spans_of
from core.insights.sums import kept_months, minutes, months_between

_WIDTH = 4
# date.toordinal() of 1970-01-01, where numpy's day count starts.
_EPOCH = date(1970, 1, 1).toordinal()


def _cells(values: list) -> np.ndarray:
    return np.array(values, dtype=np.int64).reshape(-1, _WIDTH)


def _quarters(user_id: int, spans: list[Span]) -> models.QuerySet:
    rows = ListenerQuarterHour.objects.none()
    for span in spans:
        rows = rows | ListenerQuarterHour.objects.filter(
            user_id=user_id, bucket__gte=span.start, bucket__lt=span.end
        )
    return rows


def _local(rows: models.QuerySet, tz: ZoneInfo) -> models.QuerySet:
    return rows.annotate(day=TruncDate("bucket", tzinfo=tz), hour=ExtractHour("bucket", tzinfo=tz))


def read_cells(user_id: int, spans: list[Span], tz: ZoneInfo) -> np.ndarray:
    """The cells of the disjoint `spans`: one query."""
    rows = (
        _local(_quarters(user_id, spans), tz)
        .values("day", "hour")
        .annotate(listens=models.Sum("listens"), ms=models.Sum("ms"))
        .order_by()
        .values_list("day", "hour", "listens", "ms")
    )
    return _cells([(day.toordinal(), hour, listens, ms) for day, hour, listens, ms in rows])


def _month_cells(user_id: int, tz: ZoneInfo, first: date, end: date) -> dict[date, np.ndarray]:
    """The cells of each UTC month from `first` to `end` (exclusive): one query. A local day or
    hour across a month's end has a cell in each month."""
    span = Span(*(datetime.combine(day, time(), UTC) for day in (first, end)))
    found: dict[date, list] = {month: [] for month in months_between(first, end)}
    rows = (
        _local(_quarters(user_id, [span]), tz)
        .annotate(month=TruncMonth("bucket", tzinfo=UTC))
        .values("month", "day", "hour")
        .annotate(listens=models.Sum("listens"), ms=models.Sum("ms"))
        .order_by()
        .values_list("month", "day", "hour", "listens", "ms")
    )
    for month, day, hour, listens, ms in rows:
        found[month.date()].append((day.toordinal(), hour, listens, ms))
    return {month: _cells(values) for month, values in found.items()}


def _settled_cells(user_id: int, versions: Versions, span: Span, tz: ZoneInfo) -> np.ndarray:
    """The cells of the settled `span`: its whole UTC months' kept, the rest read."""
    spans = spans_of(span.start, span.end)
    parts = [_cells([])]
    if spans.months is not None:
        read = partial(_month_cells, user_id, tz)
        parts += kept_months(user_id, versions, spans.months, ("activity", tz.key), read)
    rest = [Span(start, end) for start, end in spans.outside_months()]
    if rest:
        parts.append(read_cells(user_id, rest, tz))
    return np.concatenate(parts)


def kept_cells(user_id: int, versions: Versions, window: Window) -> np.ndarray:
    """The cells of `window`, kept: a window that holds the settled edge is read as its settled
    part (kept under `past_version`, which new listens leave) and the day or two after it, the
    only part a new listen makes read again."""
    edge = settled_edge()
    tz = window.tz
    if window.start < edge < window.end:
        parts = [Span(window.start, edge), Span(edge, window.end)]
    else:
        parts = [Span(window.start, window.end)]
    cells = [_cells([])]
    for part in parts:
        if part.end <= edge:
            compute = partial(_settled_cells, user_id, versions, part, tz)
        else:
            compute = partial(read_cells, user_id, [part], tz)
        cells.append(kept_figures(user_id, versions, part, ("activity", tz.key), compute))
    return np.concatenate(cells)


def _summed(at: np.ndarray, values: np.ndarray, size: int) -> list[int]:
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, at, values)
    return out.tolist()


def figures(cells: np.ndarray, window: Window) -> dict:
    """By hour, weekday (Monday first), month (January first) and day of `window`."""
    days, hours, listens, ms = cells.T
    # Ordinal 1 (1 January of year 1) was a Monday.
    weekdays = (days - 1) % 7
    months = (days - _EPOCH).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    offsets = days - window.first.toordinal()
    daily_listens = _summed(offsets, listens, window.days)
    daily_ms = _summed(offsets, ms, window.days)
    return {
        "time_zone": window.tz.key,
        "by_hour": _summed(hours, listens, 24),
        "by_weekday": _summed(weekdays, listens, 7),
        "by_month": _summed(months, listens, 12),
        "daily": [
            {"date": day, "listens": daily_listens[n], "minutes": minutes(daily_ms[n])}
            for n, day in enumerate(window.dates())
        ],
    }
