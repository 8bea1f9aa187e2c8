"""A history page's entries in one plain statement (PostgreSQL).

The history is the page a listener opens most after the catalog, and built with the ORM its
queryset (each entry's track visibility, the filters, the cursor's position) cost more to build
and compile than PostgreSQL took to run it: about 1.3 ms against 0.9 ms at the bench's small
scale (docs/benchmarks.md). Here the statement is written from the models' table and column names
and run with the request's parameters. `EntryRows` gives DRF's CursorPagination the three parts of
a QuerySet it uses (`order_by`, a `filter` on the position, a slice that runs the statement), so
cursors, links and paging stay DRF's. tests/library/test_history_reads.py holds its rows equal to
`selectors.play_history`'s for every kind of user and filter.
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from config import prepared
from core.catalog.models import Track
from core.catalog.querysets import visible_track_sql
from core.library.models import HistoryEntry

ORDERING = ("-started_at", "-entry_id")
_OLDEST_FIRST = tuple(name.lstrip("-") for name in ORDERING)
_POSITION = {"started_at__lt": "<", "started_at__gt": ">"}


def _column(name: str) -> str:
    return connection.ops.quote_name(HistoryEntry._meta.get_field(name).column)


def _time(value: datetime | str) -> datetime:
    """A cursor's position (DRF gives it back as the text it wrote) as an aware time."""
    moment = value if isinstance(value, datetime) else parse_datetime(value)
    if moment is None:
        raise ValueError(f"not a time: {value!r}")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


@dataclass(frozen=True)
class EntryRows:
    """One listener's history entries (streams and listens heard elsewhere, matched to a track
    they may see or unmatched) as rows of `columns`, newest first; bounds are inclusive."""

    user: object
    columns: tuple[str, ...]
    since: datetime | None = None
    until: datetime | None = None
    counted: bool | None = None
    newest_first: bool = True
    position: tuple[str, datetime] | None = None

    def order_by(self, *fields: str) -> "EntryRows":
        if fields not in (ORDERING, _OLDEST_FIRST):
            raise ValueError(f"history entries are ordered by {ORDERING} or its reverse")
        return replace(self, newest_first=fields == ORDERING)

    def filter(self, **lookup) -> "EntryRows":
        [(name, value)] = lookup.items()
        if name not in _POSITION:
            raise ValueError(f"history entries filter on their position only, not {name}")
        return replace(self, position=(_POSITION[name], _time(value)))

    def __getitem__(self, bounds: slice) -> list[dict]:
        if not isinstance(bounds, slice) or bounds.step is not None or bounds.stop is None:
            raise TypeError("history entries are read a page at a time: rows[start:stop]")
        start = bounds.start or 0
        sql, params = self._statement()
        rows = prepared.fetch_all(
            f"{sql} LIMIT %s OFFSET %s", [*params, bounds.stop - start, start]
        )
        return [dict(zip(self.columns, row, strict=True)) for row in rows]

    def _statement(self) -> tuple[str, list]:
        entries = connection.ops.quote_name(HistoryEntry._meta.db_table)
        tracks = connection.ops.quote_name(Track._meta.db_table)
        columns = ", ".join(f"h.{_column(name)}" for name in self.columns)
        visible, params = visible_track_sql(self.user, "t")
        sql = f"SELECT {columns} FROM {entries} h"  # noqa: S608 (names from the models)
        where = [f"h.{_column('user')} = %s"]
        params = [self.user.pk] if visible == "TRUE" else [*params, self.user.pk]
        if visible != "TRUE":
            sql += f" LEFT JOIN {tracks} t ON t.{_pk(Track)} = h.{_column('track')}"
            where.insert(0, f"(h.{_column('track')} IS NULL OR {visible})")
        for bound, operator in ((self.since, ">="), (self.until, "<="), self._after()):
            if bound is not None:
                where.append(f"h.{_column('started_at')} {operator} %s")
                params.append(bound)
        if self.counted is not None:
            where.append(f"h.{_column('counted')} = %s")
            params.append(self.counted)
        direction = "DESC" if self.newest_first else "ASC"
        order = ", ".join(f"h.{_column(name.lstrip('-'))} {direction}" for name in ORDERING)
        return f"{sql} WHERE {' AND '.join(where)} ORDER BY {order}", params

    def _after(self) -> tuple[datetime | None, str]:
        if self.position is None:
            return None, "<"
        operator, moment = self.position
        return moment, operator


def _pk(model) -> str:
    return connection.ops.quote_name(model._meta.pk.column)
