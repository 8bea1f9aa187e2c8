"""Copy the plays table into one partitioned by month of `started_at`, and check the copy.

    DATABASE_URL=postgres://... python -m bench.partition_plays [--swap]

The rehearsal of docs/operations.md#partitioning-plays, to run on a restored copy of the
database first: it creates `core_play_by_month` (PARTITION BY RANGE (started_at), one
partition per calendar month of the history plus the next MONTHS_AHEAD, and a default
partition for anything outside), copies every row, builds the same indexes and constraints,
then checks that both tables hold the same rows month by month and answer the plays' hot
queries alike. With --swap, and only if every check passed, it renames the tables in one
transaction (`core_play` becomes `core_play_unpartitioned`), so the application reads the
partitioned one on its next query.
"""

import argparse
import itertools
import time
from dataclasses import dataclass, field

from bench.settings_env import setup_django

SOURCE = "core_play"
TARGET = "core_play_by_month"
MONTHS_AHEAD = 3

# The plays' hot queries (library and insights), each with the parameters it is checked with:
# a listener's latest history page, their latest listen of a track (the de-duplication of
# streams), a track's counted listens, and one month's counted plays of a listener.
CHECKS = {
    "history_page": (
        "SELECT id, track_id, started_at FROM {table} WHERE user_id = %(user)s "
        "ORDER BY started_at DESC, id DESC LIMIT 50"
    ),
    "latest_of_track": (
        "SELECT id FROM {table} WHERE user_id = %(user)s AND track_id = %(track)s "
        "ORDER BY started_at DESC LIMIT 1"
    ),
    "track_listens": "SELECT count(*) FROM {table} WHERE counted AND track_id = %(track)s",
    "month_of_listener": (
        "SELECT count(*), coalesce(sum(played_seconds), 0) FROM {table} "
        "WHERE user_id = %(user)s AND counted AND started_at >= %(month)s "
        "AND started_at < %(month)s + interval '1 month'"
    ),
}


@dataclass
class Report:
    partitions: int = 0
    rows: int = 0
    seconds: float = 0.0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _months(cursor, source: str) -> list[str]:
    """First days of the months from the history's first to MONTHS_AHEAD after its last, and
    of the month after those (the last bound)."""
    cursor.execute(
        f"SELECT to_char(m, 'YYYY-MM-DD') FROM generate_series("  # noqa: S608 (fixed names)
        f"(SELECT date_trunc('month', min(started_at), 'UTC') FROM {source}), "
        f"(SELECT date_trunc('month', max(started_at), 'UTC') FROM {source}) "
        f"+ interval '{MONTHS_AHEAD + 1} months', interval '1 month') AS m"
    )
    return [row[0] for row in cursor.fetchall()]


def create_partitioned_copy(cursor, source: str = SOURCE, target: str = TARGET) -> Report:
    """Create `target` partitioned by month and copy `source` into it (one transaction is the
    caller's). Partition bounds are UTC months."""
    started = time.perf_counter()
    report = Report()
    # Reads go on; writes wait for the end of the caller's transaction (the copy, the checks
    # and the swap), so that no play is missed.
    cursor.execute(f"LOCK TABLE {source} IN SHARE MODE")
    cursor.execute("SET LOCAL TIME ZONE 'UTC'")
    # Columns, defaults, NOT NULL and CHECK constraints as the source has them; the primary key
    # must hold the partition key, so it is (id, started_at): ids stay unique by their sequence.
    cursor.execute(
        f"CREATE TABLE {target} (LIKE {source} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
        "PARTITION BY RANGE (started_at)"
    )
    months = _months(cursor, source) if _has_rows(cursor, source) else []
    for first, following in itertools.pairwise(months):
        cursor.execute(
            f"CREATE TABLE {target}_{first[:7].replace('-', '_')} PARTITION OF {target} "
            f"FOR VALUES FROM ('{first}') TO ('{following}')"
        )
        report.partitions += 1
    cursor.execute(f"CREATE TABLE {target}_default PARTITION OF {target} DEFAULT")
    report.partitions += 1
    cursor.execute(f"INSERT INTO {target} SELECT * FROM {source}")  # noqa: S608 (fixed names)
    report.rows = cursor.rowcount
    cursor.execute(f"ALTER TABLE {target} ADD PRIMARY KEY (id, started_at)")
    for definition in _index_definitions(cursor, source):
        cursor.execute(definition.replace(f" ON public.{source} ", f" ON {target} ", 1))
    for name, definition in _foreign_keys(cursor, source):
        cursor.execute(f"ALTER TABLE {target} ADD CONSTRAINT {name}_by_month {definition}")
    cursor.execute(f"ANALYZE {target}")
    report.seconds = round(time.perf_counter() - started, 1)
    return report


def _has_rows(cursor, table: str) -> bool:
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 (fixed names)
    return cursor.fetchone()[0]


def _index_definitions(cursor, table: str) -> list[str]:
    """CREATE INDEX statements of `table`'s indexes but its primary key, renamed."""
    cursor.execute(
        """
        SELECT replace(pg_get_indexdef(i.indexrelid), 'INDEX ' || c.relname || ' ',
            'INDEX ' || c.relname || '_by_month ')
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
        """,
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def _foreign_keys(cursor, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    return cursor.fetchall()


def check_copy(cursor, source: str = SOURCE, target: str = TARGET, samples: int = 5) -> list[str]:
    """What differs between `source` and `target`: row counts per month, then the hot
    queries' answers for a few listeners, tracks and months. Empty when they agree."""
    mismatches = []
    per_month = (
        "SELECT date_trunc('month', started_at, 'UTC') AS month, count(*), "
        "count(*) FILTER (WHERE counted), sum(id) FROM {table} GROUP BY 1 ORDER BY 1"
    )
    cursor.execute(per_month.format(table=source))
    before = cursor.fetchall()
    cursor.execute(per_month.format(table=target))
    if cursor.fetchall() != before:
        mismatches.append("rows per month")
    cursor.execute(
        f"SELECT user_id, track_id, date_trunc('month', started_at, 'UTC') "  # noqa: S608
        f"FROM {source} ORDER BY id DESC LIMIT %s",
        [samples],
    )
    for user, track, month in cursor.fetchall():
        params = {"user": user, "track": track, "month": month}
        for name, query in CHECKS.items():
            cursor.execute(query.format(table=source), params)
            expected = cursor.fetchall()
            cursor.execute(query.format(table=target), params)
            if cursor.fetchall() != expected:
                mismatches.append(f"{name} of listener {user}, track {track}")
    return mismatches


def swap(cursor, source: str = SOURCE, target: str = TARGET) -> None:
    """Put the partitioned table in the source's place, its indexes under the names the
    migrations know; the old table stays, renamed, until it is dropped by hand."""
    cursor.execute(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
        [source],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"ALTER INDEX {name} RENAME TO {name}_unpartitioned")
        cursor.execute(f"ALTER INDEX {name}_by_month RENAME TO {name}")
    # Ids go on from the old table's identity, which stays with it.
    cursor.execute(
        f"SELECT greatest((SELECT coalesce(max(id), 0) FROM {source}), "  # noqa: S608
        f"(SELECT last_value FROM {source}_id_seq)) + 1"
    )
    following = cursor.fetchone()[0]
    cursor.execute(
        f"ALTER TABLE {target} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY "
        f"(START WITH {int(following)})"
    )
    cursor.execute(f"ALTER TABLE {source} RENAME TO {source}_unpartitioned")
    cursor.execute(f"ALTER TABLE {target} RENAME TO {source}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swap", action="store_true", help="rename the tables if all checks pass")
    args = parser.parse_args()
    setup_django()
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        report = create_partitioned_copy(cursor)
        print(
            f"Copied {report.rows} rows into {report.partitions} partitions in {report.seconds} s"
        )
        started = time.perf_counter()
        report.mismatches = check_copy(cursor)
        print(
            f"Checked in {time.perf_counter() - started:.1f} s: {report.mismatches or 'all equal'}"
        )
        if not report.ok:
            raise SystemExit("The copy differs: nothing kept.")
        if args.swap:
            swap(cursor)
            print(f"{SOURCE} is now partitioned by month; the old table is {SOURCE}_unpartitioned.")


if __name__ == "__main__":
    main()
