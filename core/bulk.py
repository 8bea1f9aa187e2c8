"""Set-based writes of many rows in few statements, for the batch writers (history imports and
their rollups). On PostgreSQL the rows go in by COPY, straight into the table or, to merge
them (ON CONFLICT, UPDATE ... FROM), into a temporary table first: several times cheaper than
a statement of thousands of bound values, whose parameters the driver must render one by one.
Elsewhere (SQLite), multi-row VALUES lists in chunks."""

import itertools
from collections.abc import Sequence

from django.db import connection, models, transaction

CHUNK = 500
_names = itertools.count()


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    return [model._meta.get_field(name) for name in names]


def _adapt(field: models.Field, value):
    # Raw SQL skips the fields' own conversion (SQLite stores datetimes as naive UTC text).
    if value is None:
        return None
    return field.get_db_prep_value(value, connection, prepared=False)


def _copy(cursor, table: str, columns: str, rows: Sequence[Sequence]) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _staged(cursor, model: type[models.Model], fields: list[models.Field], rows) -> str:
    """A temporary table holding `rows` (columns as `fields`), dropped at commit."""
    stage = _quote(f"bulk_{model._meta.db_table}_{next(_names)}")
    columns = ", ".join(_quote(f.column) for f in fields)
    cursor.execute(
        f"CREATE TEMPORARY TABLE {stage} ON COMMIT DROP AS "  # noqa: S608 (names from the models)
        f"SELECT {columns} FROM {_quote(model._meta.db_table)} WITH NO DATA"
    )
    _copy(cursor, stage, columns, rows)
    return stage


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence],
    *,
    on_conflict: str = "",
) -> None:
    """INSERT `rows` (values of the fields `names`, in order) into `model`'s table, with the
    optional `on_conflict` clause (`ON CONFLICT (...) DO ...`)."""
    if not rows:
        return
    fields = _columns(model, names)
    table = _quote(model._meta.db_table)
    columns = ", ".join(_quote(f.column) for f in fields)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if not on_conflict:
                _copy(cursor, table, columns, rows)
                return
            stage = _staged(cursor, model, fields, rows)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} {on_conflict}"  # noqa: S608 (names from the models)
            )
            cursor.execute(f"DROP TABLE {stage}")
            return
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values = ", ".join([one] * len(chunk))
            params = [_adapt(f, row[i]) for row in chunk for i, f in enumerate(fields)]
            sql = f"INSERT INTO {table} ({columns}) VALUES {values} {on_conflict}"  # noqa: S608 (names from the models; values bound)
            cursor.execute(sql, params)


def add_by_id(model: type[models.Model], names: Sequence[str], amounts: dict[int, Sequence[int]]):
    """Add to the integer fields `names` of `model`'s rows: `amounts` maps a row's primary key
    to what each field gains. Rows that do not exist are left alone."""
    items = [(pk, *values) for pk, values in amounts.items() if any(values)]
    if not items:
        return
    table = _quote(model._meta.db_table)
    pk_field = model._meta.pk
    pk = _quote(pk_field.column)
    fields = _columns(model, names)
    quoted = [_quote(f.column) for f in fields]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            stage = _staged(cursor, model, [pk_field, *fields], items)
            sets = ", ".join(f"{q} = t.{q} + s.{q}" for q in quoted)
            cursor.execute(
                f"UPDATE {table} AS t SET {sets} FROM {stage} AS s WHERE t.{pk} = s.{pk}"  # noqa: S608 (names from the models)
            )
            cursor.execute(f"DROP TABLE {stage}")
            return
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            sets = []
            params: list = []
            for i, q in enumerate(quoted):
                cases = " ".join(["WHEN %s THEN %s"] * len(chunk))
                sets.append(f"{q} = {q} + CASE {pk} {cases} ELSE 0 END")
                params += [value for item in chunk for value in (item[0], item[i + 1])]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {', '.join(sets)} WHERE {pk} IN ({marks})",  # noqa: S608 (names from the models; values bound)
                [*params, *(item[0] for item in chunk)],
            )


def values_where_in(
    model: type[models.Model], names: Sequence[str], field: str, ids, **equal
) -> list[tuple]:
    """The values of the fields `names` of `model`'s rows whose `field` is one of `ids` (and
    whose other fields equal `equal`). On PostgreSQL the ids go as one array (`= ANY(%s)`),
    not as a placeholder each."""
    ids = list(ids)
    if not ids:
        return []
    if connection.vendor != "postgresql":
        query = model._default_manager.filter(**{f"{field}__in": ids}, **equal)
        return list(query.values_list(*names))
    columns = ", ".join(_quote(f.column) for f in _columns(model, names))
    where = [f"{_quote(_columns(model, [field])[0].column)} = ANY(%s)"]
    params: list = [ids]
    for name, value in equal.items():
        where.append(f"{_quote(_columns(model, [name])[0].column)} = %s")
        params.append(value)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {_quote(model._meta.db_table)} WHERE {' AND '.join(where)}",  # noqa: S608 (names from the models; values bound)
            params,
        )
        return cursor.fetchall()
