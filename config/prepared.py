"""Statements PostgreSQL plans once per connection.

A few statements run on nearly every request: the signed-in user with their role flags, a
history page, a listener's favorites and stars on a page of tracks. PostgreSQL plans every
statement it receives afresh, and for these the planning cost more than the run (the user with
its roles: about 0.9 ms of planning for 0.2 ms of execution; docs/benchmarks.md). Django binds
parameters in the client (psycopg's client-side cursors), which cannot use the protocol's
prepared statements, so `execute` names the statement after its text, sends `PREPARE` in the
same round trip as the first `EXECUTE` on each connection, and only `EXECUTE` after that.
PostgreSQL keeps a prepared statement for the session, whatever becomes of the transaction it
was prepared in, and plans it again by itself when a migration changes a table it reads. What
`execute` makes of a text (its placeholders, the order of its parameters, its name) is worked out
once per process; a named parameter used twice is one parameter of the prepared statement.

`fetch_one` and `fetch_all` run a statement on the driver's own cursor, with Django's translation
of the driver's errors around it, rather than through Django's cursor wrapper, which wraps every
call and fetch: about 20 us less for each of these statements (docs/benchmarks.md). That cursor
is made once per connection and used again. While anything watches the queries (DEBUG's log, a
test's CaptureQueriesContext, an execute wrapper) they go through Django's cursor, so that it sees
them as before.

Plain statements are sent instead on SQLite and with `DATABASE_PREPARED_STATEMENTS=false`: set it
behind a pooler that hands a client's server session to other clients between transactions
(PgBouncer in transaction mode), where a statement prepared on one server session is missing
on the next. Should a prepared statement vanish anyway (`DISCARD ALL`), the connection forgets
what it prepared and the statement is prepared again, at once outside a transaction.
"""

import functools
import hashlib
import re
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

# What each open psycopg connection has prepared, by statement name.
_prepared: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()

_PLACEHOLDER = re.compile(r"%(s|%)")
_NAMED = re.compile(r"%(?:\((\w+)\))?([s%])")
_MISSING, _EXISTS = "26000", "42P05"  # invalid_sql_statement_name, duplicate_prepared_statement

Params = Sequence | Mapping


@dataclass(frozen=True)
class _Compiled:
    """A statement's text in both forms `execute` sends, worked out once per text.

    `plain` has `%s` placeholders and `plain_order` the parameter names in their order (a name
    used twice is given twice); `numbered` has `$1, $2...`, one number per distinct name, in
    `numbered_order`. An order of None takes positional parameters as they come."""

    plain: str
    plain_order: tuple[str, ...] | None
    numbered: str
    numbered_order: tuple[str, ...] | None
    name: str
    run: str  # the EXECUTE, with the statement's parameters as `%s`


@functools.lru_cache(maxsize=1024)
def _compiled(sql: str, named: bool) -> _Compiled:
    if not named:
        numbered, count = _numbered(sql)
        return _Compiled(sql, None, numbered, None, *_name_and_run(numbered, count))
    plain_order: list[str] = []
    distinct: dict[str, int] = {}

    def unnamed(match: re.Match) -> str:
        name, kind = match.groups()
        if kind == "%":
            return "%%"
        plain_order.append(name)
        return "%s"

    def numbered(match: re.Match) -> str:
        name, kind = match.groups()
        if kind == "%":
            return "%%"
        return f"${distinct.setdefault(name, len(distinct) + 1)}"

    plain = _NAMED.sub(unnamed, sql)
    numbered_sql = _NAMED.sub(numbered, sql)
    return _Compiled(
        plain,
        tuple(plain_order),
        numbered_sql,
        tuple(distinct),
        *_name_and_run(numbered_sql, len(distinct)),
    )


def _name_and_run(numbered: str, count: int) -> tuple[str, str]:
    name = "tonearm_" + hashlib.blake2b(numbered.encode(), digest_size=8).hexdigest()
    return name, f"EXECUTE {name}({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"


def _values(params: Params, order: tuple[str, ...] | None) -> list:
    return list(params) if order is None else [params[name] for name in order]


def _numbered(sql: str) -> tuple[str, int]:
    """`%s` placeholders as PostgreSQL's `$1, $2...` (`%%` stays for the client to unescape),
    and how many there are."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group(1) == "%":
            return "%%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql), count


_names: dict[str, tuple[str, ...]] = {}


def column_names(cursor, sql: str) -> tuple[str, ...]:
    """The names of the columns `sql` gives, on `cursor` after it ran: read from its description
    the first time only (psycopg builds an object per column each time it is asked)."""
    names = _names.get(sql)
    if names is None:
        names = tuple(column[0] for column in cursor.description)  # the DB-API name
        if len(_names) < 1024:
            _names[sql] = names
    return names


def any_of(column: str, values: Sequence) -> tuple[str, list]:
    """`column` among `values` as SQL and its parameters: on PostgreSQL `= ANY(array)`, one
    statement (one prepared plan) whatever the number of values; `IN (...)` elsewhere."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values)) or 'NULL'})", list(values)


def _sqlstate(error: Exception) -> str | None:
    """The SQLSTATE of a driver's error, or of Django's error raised from one."""
    return getattr(error, "sqlstate", None) or getattr(error.__cause__, "sqlstate", None)


def execute(
    cursor, sql: str, params: Params, *, first: tuple[str, Params] | None = None, db=None
) -> None:
    """Run `sql` (`%s` or `%(name)s` placeholders) with `params` on `cursor` (a Django cursor,
    or the driver's cursor of `db`, a Django connection), prepared on its connection when that
    is worth it (above), after `first` (a statement and its parameters, such as a lock;
    PostgreSQL only) in the same round trip; read the rows with fetch*. PostgreSQL types the
    parameters when preparing, from what they are compared with or stored in: one that nothing
    types (`SELECT %s + %s`) needs a cast."""
    db = db or cursor.db
    statement = _compiled(sql, isinstance(params, Mapping))
    lock = _compiled(first[0], isinstance(first[1], Mapping)) if first else None
    before = f"{lock.plain}\n; " if lock else ""
    before_values = _values(first[1], lock.plain_order) if lock else []
    skipped = 1 if first else 0  # result sets before the statement's rows
    if db.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        plain_values = _values(params, statement.plain_order)
        cursor.execute(before + statement.plain, before_values + plain_values)
        for _ in range(skipped):
            cursor.nextset()
        return
    name, run = statement.name, statement.run
    values = _values(params, statement.numbered_order)
    names = _prepared.setdefault(db.connection, set())
    try:
        if name in names:
            cursor.execute(before + run, before_values + values)
        else:
            # A new line ends any comment at the statement's end before the EXECUTE.
            prepare = f"PREPARE {name} AS {statement.numbered}\n; "
            cursor.execute(before + prepare + run, before_values + values)
            skipped += 1
            names.add(name)
        for _ in range(skipped):
            cursor.nextset()
    except (DatabaseError, db.Database.Error) as error:  # Django's, or the driver's
        state = _sqlstate(error)
        if state == _MISSING:
            names.clear()  # the session lost what it had prepared
        elif state == _EXISTS:
            names.add(name)  # prepared by an attempt whose EXECUTE failed
        if state not in (_MISSING, _EXISTS) or db.in_atomic_block:
            raise
        execute(cursor, sql, params, first=first, db=db)


@contextmanager
def _cursor(using: str) -> Iterator[tuple[object, object]]:
    """A cursor of the `using` connection and that connection: the driver's own on PostgreSQL
    while nothing watches the queries, else Django's (see the module's docstring)."""
    db = connections[using]
    if db.vendor != "postgresql" or db.queries_logged or db.execute_wrappers:
        with db.cursor() as cursor:
            yield cursor, db
        return
    # What Django's cursor() and CursorWrapper.execute() check, once.
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:  # the driver's errors raised as Django's
        yield _drivers_cursor(db), db


# One driver's cursor per Django connection (a thread's own): the cursor, with the connection
# and the time zone it was made for.
_driver_cursors: "weakref.WeakKeyDictionary[object, tuple]" = weakref.WeakKeyDictionary()


def _drivers_cursor(db):
    """The driver's cursor of `db`'s open connection, made once and used again: psycopg looks up
    how to send and read each type once per cursor, and a cursor made for every statement looked
    them up on every statement (about 15 us of the stream's; docs/benchmarks.md). A new one is
    made for a new connection, or when the connection's time zone changed (Django registers the
    time zone's loader per cursor). Executing a statement discards the rows of the one before."""
    made = _driver_cursors.get(db)
    if made is None or made[0] is not db.connection or made[1] != db.timezone or made[2].closed:
        made = _driver_cursors[db] = (db.connection, db.timezone, db.create_cursor())
    return made[2]


def fetch_one(
    sql: str,
    params: Params,
    *,
    first: tuple[str, Params] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> dict | None:
    """The first row `sql` gives (run as `execute` runs it), by column name; None without one."""
    with _cursor(using) as (cursor, db):
        execute(cursor, sql, params, first=first, db=db)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip(column_names(cursor, sql), row, strict=True))


def fetch_all(sql: str, params: Params, *, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
    """The rows `sql` gives (run as `execute` runs it)."""
    with _cursor(using) as (cursor, db):
        execute(cursor, sql, params, db=db)
        return cursor.fetchall()
