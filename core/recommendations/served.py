"""Replacing the tables training fills (neighbours, candidates, daily mixes) as a whole, while
requests go on reading the previous results.

On PostgreSQL each table's new rows are copied into a bare twin of it (its columns, defaults
and checks, no index), the twin's indexes and unique constraints are built once over the loaded
rows, and the twins take the tables' places by rename. All of it runs in one transaction:
requests read the previous rows until the commit and the new ones after, never a part of
either, and the rename's ACCESS EXCLUSIVE lock is held only from the swap to the commit.
Building an index once is several times faster than keeping it up to date row by row, and the
old rows go with their table instead of being deleted (docs/benchmarks.md, "Training's write
step"). The tables hold no foreign keys (`db_constraint=False`): a checked row queues a trigger
event that runs at commit, and adding a key to a twin would lock the catalog table it names
against writes until the commit. Requests join the catalog, so a row whose track was deleted
since training read it is not served.

The twins are made in the transaction, so COPY may freeze their rows: visible to every
snapshot once the twin is. A statement whose snapshot was taken before the commit but which
reads after the swap (one that waited for the swap's lock as a prepared statement's EXECUTE,
or a REPEATABLE READ transaction) then reads the new rows; unfrozen, it would read an empty
table, as after a TRUNCATE. Frozen rows also leave autovacuum nothing to freeze later.

Elsewhere (SQLite) the rows are deleted and inserted in the transaction.

The SQL here reads PostgreSQL's catalog: tests/recommendations/test_write.py checks that a
replaced table keeps the indexes and constraints its migrations made.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.db import OperationalError, connection, models, transaction

# The swap's lock: tries, each waiting at most SWAP_WAIT, SWAP_PAUSE seconds apart.
SWAP_TRIES = 50
SWAP_WAIT = "200ms"
SWAP_PAUSE = 0.05
LOCK_NOT_AVAILABLE = "55P03"
# Rows sent per write of a binary COPY.
COPY_CHUNK = 100_000
# COPY's binary format: a signature, flags and header extension length; a row's field count
# (int16) and each field's byte length (int32) before it; a field count of -1 after the rows.
_BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_BINARY_TRAILER = b"\xff\xff"


@dataclass(frozen=True)
class Replacement:
    """Where a replacement's new rows go: each model's table, and whether those tables were
    made in this transaction (then COPY freezes the rows, for the reason given above)."""

    tables: dict[type[models.Model], str]
    fresh: bool

    def copy_rows(self, model: type[models.Model], columns: tuple[str, ...], rows) -> None:
        """Insert many rows: COPY on PostgreSQL (psycopg writes each row's text), batched
        inserts elsewhere."""
        _copy_rows(self.tables[model], columns, rows, freeze=self.fresh)

    def copy_arrays(self, model: type[models.Model], columns: dict[str, np.ndarray]) -> None:
        """Insert the rows that equal-length arrays of ints or floats make, one array per
        bigint or double precision column: COPY in binary format on PostgreSQL (no text to
        make or parse: about half the time of copy_rows), batched inserts elsewhere."""
        _copy_arrays(self.tables[model], columns, freeze=self.fresh)

    def read_rows(self, model: type[models.Model], columns: tuple[str, ...]) -> list[dict]:
        """Every new row of the model, as dicts of `columns`: written rows read back for
        their ids."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {self.tables[model]}")  # noqa: S608
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def replacing(*served: type[models.Model]) -> Iterator[Replacement]:
    """In a transaction, where to write each model's new rows; when the block ends without an
    error, those are all the model's rows. Give referenced models first."""
    tables = [model._meta.db_table for model in served]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            for table in reversed(tables):
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            yield Replacement(dict(zip(served, tables, strict=True)), fresh=False)
            return
        # One replacement at a time: two would build the same twins. Requests' reads and
        # deletes take weaker locks and go on.
        cursor.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE UPDATE EXCLUSIVE MODE")
        for model in served:
            _create_twin(cursor, model)
        yield Replacement({model: _twin(model._meta.db_table) for model in served}, fresh=True)
        renames = [rename for model in served for rename in _build(cursor, model)]
        _lock_for_swap(cursor, tables)
        cursor.execute(f"DROP TABLE {', '.join(tables)}")
        for statement in renames:
            cursor.execute(statement)


def _lock_for_swap(cursor, tables: list[str]) -> None:
    """ACCESS EXCLUSIVE on the tables, held to the commit. Requests queue behind the lock while
    it is awaited (behind a long read, say), so each try waits SWAP_WAIT at most and then lets
    them through for SWAP_PAUSE. Giving up within SWAP_WAIT also ends a deadlock with a
    request's cascading delete (which takes these tables one by one too) before PostgreSQL's
    detector, after deadlock_timeout (1 s), would cancel one side: the training, perhaps.
    After SWAP_TRIES, it waits as long as the session's lock_timeout lets it."""
    lock = f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE"
    cursor.execute("SELECT current_setting('lock_timeout')")
    (session_timeout,) = cursor.fetchone()
    locked = False
    for _ in range(SWAP_TRIES):
        try:
            with transaction.atomic():
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [SWAP_WAIT])
                cursor.execute(lock)
            locked = True
            break
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
        time.sleep(SWAP_PAUSE)
    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [session_timeout])
    if not locked:
        cursor.execute(lock)


def _twin(table: str) -> str:
    return f"{table}_next"


def _create_twin(cursor, model: type[models.Model]) -> None:
    table, pk = model._meta.db_table, model._meta.pk.column
    twin = _twin(table)
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    keys = [name for (name,) in cursor.fetchall()]
    if keys:
        raise RuntimeError(f"{table} has foreign keys ({', '.join(keys)}) a swap would drop")
    cursor.execute(
        f"CREATE TABLE {twin} (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY "
        "INCLUDING CONSTRAINTS)"
    )
    # Ids go on from the table's: a mix id a client holds never names another mix.
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence(%s, %s)))",
        [twin, pk, table, pk],
    )


def _build(cursor, model: type[models.Model]) -> list[str]:
    """Build the twin's indexes and unique constraints as the table has them, under temporary
    names, and gather its statistics; returns the renames that make it the table."""
    table, pk = model._meta.db_table, model._meta.pk.column
    twin = _twin(table)
    cursor.execute(
        """
        SELECT index.relname AS name, pg_get_indexdef(i.indexrelid) AS definition,
               pg_get_constraintdef(c.oid) AS constraint_definition
        FROM pg_index i
        JOIN pg_class index ON index.oid = i.indexrelid
        LEFT JOIN pg_constraint c
            ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u')
        WHERE i.indrelid = %s::regclass
        ORDER BY index.relname
        """,
        [table],
    )
    columns = [column[0] for column in cursor.description]
    renames = [f"ALTER TABLE {twin} RENAME TO {table}"]
    for number, row in enumerate(cursor.fetchall()):
        index = dict(zip(columns, row, strict=True))
        temporary = f"{twin}_{number}"
        if index["constraint_definition"]:
            sql = f"ALTER TABLE {twin} ADD CONSTRAINT {temporary} {index['constraint_definition']}"
        else:
            unique = "UNIQUE " if index["definition"].startswith("CREATE UNIQUE") else ""
            method = index["definition"].split(" USING ", 1)[1]
            sql = f"CREATE {unique}INDEX {temporary} ON {twin} USING {method}"
        cursor.execute(sql)
        # Renaming an index renames the constraint it backs.
        renames.append(f"ALTER INDEX {temporary} RENAME TO {index['name']}")
    cursor.execute(f"ANALYZE {twin}")
    sequence = _sequence(cursor, table, pk).rsplit(".", 1)[-1]
    renames.append(f"ALTER SEQUENCE {_sequence(cursor, twin, pk)} RENAME TO {sequence}")
    return renames


def _sequence(cursor, table: str, column: str) -> str:
    """The sequence that numbers the column, schema-qualified."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
    return cursor.fetchone()[0]


def _copy_rows(table: str, columns: tuple[str, ...], rows, *, freeze: bool) -> None:
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, list(rows))
            return
        options = " WITH (FREEZE)" if freeze else ""
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN{options}") as copy:
            for row in rows:
                copy.write_row(row)


def _copy_arrays(table: str, columns: dict[str, np.ndarray], *, freeze: bool) -> None:
    names = tuple(columns)
    arrays = list(columns.values())
    if connection.vendor != "postgresql":
        _copy_rows(table, names, zip(*(a.tolist() for a in arrays), strict=True), freeze=False)
        return
    fields = [("count", ">i2")]
    for number, array in enumerate(arrays):
        kind = {"i": ">i8", "f": ">f8"}[array.dtype.kind]
        fields += [(f"length{number}", ">i4"), (f"value{number}", kind)]
    data = np.empty(len(arrays[0]), dtype=np.dtype(fields))
    data["count"] = len(arrays)
    for number, array in enumerate(arrays):
        data[f"length{number}"] = 8
        data[f"value{number}"] = array
    options = "FORMAT binary, FREEZE" if freeze else "FORMAT binary"
    with connection.cursor() as cursor:
        sql = f"COPY {table} ({', '.join(names)}) FROM STDIN WITH ({options})"
        with cursor.copy(sql) as copy:
            copy.write(_BINARY_HEADER)
            for start in range(0, len(data), COPY_CHUNK):
                copy.write(data[start : start + COPY_CHUNK].tobytes())
            copy.write(_BINARY_TRAILER)
