"""Statements prepared once per connection (config/prepared.py): the same rows as a plain
statement, PostgreSQL asked to plan them once, and a session that lost what it prepared (a
pooler's DISCARD ALL) still answering."""

import uuid
from datetime import UTC, datetime

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from config import prepared
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def _statement() -> str:
    """A statement this connection has never prepared (its text names it)."""
    return f"SELECT n * %s, %s FROM generate_series(1, 3) AS n -- {uuid.uuid4()}"  # noqa: S608


def _run(sql: str, params: list) -> tuple[list, list[str]]:
    with CaptureQueriesContext(connection) as sent, connection.cursor() as cursor:
        prepared.execute(cursor, sql, params)
        rows = cursor.fetchall()
    return rows, [query["sql"].split()[0] for query in sent.captured_queries]


@pytest.mark.django_db
def test_a_statement_is_prepared_once_and_then_only_executed():
    sql = _statement()

    first, sent_first = _run(sql, [2, "a's"])
    second, sent_second = _run(sql, [10, "%s"])

    assert first == [(2, "a's"), (4, "a's"), (6, "a's")]
    assert second == [(10, "%s"), (20, "%s"), (30, "%s")]
    assert (sent_first, sent_second) == (["PREPARE"], ["EXECUTE"])  # one round trip each


@pytest.mark.django_db
def test_switched_off_statements_are_sent_plain(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False

    rows, sent = _run(_statement(), [3, "x"])

    assert rows[0] == (3, "x")
    assert sent == ["SELECT"]


@pytest.mark.django_db
def test_any_of_is_one_statement_whatever_the_number_of_values():
    texts = {prepared.any_of("n", values)[0] for values in ([1], [1, 2, 3], [])}
    sql, params = prepared.any_of("n", [2, 3])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n FROM generate_series(1, 4) AS n WHERE {sql}", params)  # noqa: S608
        assert cursor.fetchall() == [(2,), (3,)]
    assert len(texts) == 1


@pytest.mark.django_db(transaction=True)
def test_a_session_that_lost_its_statements_prepares_them_again():
    sql = _statement()
    _run(sql, [1, "a"])
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's DISCARD ALL does

    rows, sent = _run(sql, [5, "b"])

    assert rows[0] == (5, "b")
    assert sent == ["EXECUTE", "PREPARE"]  # the missing statement, then prepared again


@pytest.mark.django_db(transaction=True)
def test_a_failed_first_run_leaves_the_statement_usable():
    sql = f"SELECT 10 / %s -- {uuid.uuid4()}"
    with pytest.raises(Exception, match="division by zero"):
        _run(sql, [0])  # prepared, then its EXECUTE failed

    assert _run(sql, [2])[0] == [(5,)]
    assert _run(sql, [5])[0] == [(2,)]


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_a_lost_statement_fails_cleanly_once():
    sql = _statement()
    _run(sql, [1, "a"])
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")

    with pytest.raises(Exception, match="does not exist"), transaction.atomic():
        _run(sql, [2, "b"])  # the transaction is broken: no retry inside it

    assert _run(sql, [3, "c"])[0][0] == (3, "c")  # the next one prepares it again


@pytest.mark.django_db(transaction=True)
def test_requests_authenticate_after_the_session_lost_its_statements(alice):
    client = client_for(alice)
    factories.TrackFactory()
    assert client.get("/api/tracks/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")

    response = client.get("/api/history/")

    assert response.status_code == 200
    assert client.get("/api/me/").json()["username"] == alice.username


@pytest.mark.django_db
def test_named_parameters_and_a_statement_sent_first():
    sql = f"SELECT %(n)s::int + %(n)s::int, %(word)s::text, '100%%' -- {uuid.uuid4()}"
    lock = ("SELECT pg_advisory_xact_lock(%(space)s, %(key)s)", {"space": 7, "key": 11})

    sent_sql = []
    for n in (2, 5):
        with CaptureQueriesContext(connection) as sent, connection.cursor() as cursor:
            prepared.execute(cursor, sql, {"n": n, "word": "w"}, first=lock)
            rows = cursor.fetchall()
        assert rows == [(2 * n, "w", "100%")]
        sent_sql += [query["sql"] for query in sent.captured_queries]

    assert len(sent_sql) == 2  # one round trip each: the lock, then the statement
    assert all(text.startswith("SELECT pg_advisory_xact_lock(7, 11)") for text in sent_sql)
    assert "PREPARE" in sent_sql[0]
    assert "PREPARE" not in sent_sql[1] and "EXECUTE" in sent_sql[1]


@pytest.mark.django_db
def test_a_name_used_twice_is_one_parameter_of_the_prepared_statement(settings):
    sql = f"SELECT %(n)s::int * %(n)s::int, %(m)s::int -- {uuid.uuid4()}"
    with connection.cursor() as cursor:
        prepared.execute(cursor, sql, {"n": 3, "m": 4})
        assert cursor.fetchall() == [(9, 4)]
        cursor.execute(
            "SELECT parameter_types::text FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{sql[-36:]}%"],
        )
        assert cursor.fetchall() == [("{integer,integer}",)]  # n and m: two, not three

    settings.DATABASE_PREPARED_STATEMENTS = False  # sent plain: n given where it appears
    with CaptureQueriesContext(connection) as sent, connection.cursor() as cursor:
        prepared.execute(cursor, sql, {"n": 5, "m": 1})
        assert cursor.fetchall() == [(25, 1)]
    assert sent.captured_queries[0]["sql"].startswith("SELECT 5::int * 5::int, 1::int")


@pytest.fixture
def no_django_cursor(monkeypatch):
    """Django's cursor() refused: what still runs went around it."""

    def refused(*args, **kwargs):
        raise AssertionError("Django's cursor was used")

    monkeypatch.setattr(connection, "cursor", refused)


@pytest.mark.django_db
def test_fetch_one_and_fetch_all_run_on_the_drivers_cursor(no_django_cursor):
    columns = "n * %(k)s AS product, %(word)s AS word"
    sql = f"SELECT {columns} FROM generate_series(1, %(last)s) AS n -- {uuid.uuid4()}"  # noqa: S608

    assert prepared.fetch_one(sql, {"k": 2, "word": "a", "last": 3}) == {"product": 2, "word": "a"}
    assert prepared.fetch_one(sql, {"k": 2, "word": "a", "last": 0}) is None
    assert prepared.fetch_all(sql, {"k": 5, "word": "b", "last": 3}) == [
        (5, "b"),
        (10, "b"),
        (15, "b"),
    ]


@pytest.mark.django_db
def test_while_queries_are_watched_they_go_through_djangos_cursor():
    sql = f"SELECT %s::int AS n -- {uuid.uuid4()}"

    with CaptureQueriesContext(connection) as sent:
        assert prepared.fetch_one(sql, [4]) == {"n": 4}
        assert prepared.fetch_all(sql, [5]) == [(5,)]

    assert [query["sql"].split()[0] for query in sent.captured_queries] == ["PREPARE", "EXECUTE"]


@pytest.mark.django_db(transaction=True)
def test_the_drivers_errors_are_raised_as_djangos(no_django_cursor):
    table = f"unique_{uuid.uuid4().hex}"
    connection.ensure_connection()
    connection.connection.execute(f"CREATE TEMPORARY TABLE {table} (n int PRIMARY KEY)")
    insert = f"INSERT INTO {table} (n) VALUES (%s) RETURNING n"  # noqa: S608

    assert prepared.fetch_one(insert, [1]) == {"n": 1}
    with pytest.raises(IntegrityError):
        prepared.fetch_one(insert, [1])
    with pytest.raises(DataError, match="division by zero"):
        prepared.fetch_all(f"SELECT 1 / %s::int -- {uuid.uuid4()}", [0])

    assert prepared.fetch_all(f"SELECT n FROM {table}", []) == [(1,)]  # noqa: S608 (goes on)


@pytest.mark.django_db(transaction=True)
def test_the_drivers_cursor_is_made_once_per_connection(no_django_cursor, monkeypatch):
    made = []
    create_cursor = connection.create_cursor

    def counted(*args, **kwargs):
        made.append(True)
        return create_cursor(*args, **kwargs)

    monkeypatch.setattr(connection, "create_cursor", counted)
    connection.close()
    sql = f"SELECT %s::int AS n -- {uuid.uuid4()}"

    assert prepared.fetch_one(sql, [1]) == {"n": 1}
    assert prepared.fetch_all(sql, [2]) == [(2,)]
    with pytest.raises(DataError):
        prepared.fetch_all(f"SELECT 1 / %s::int -- {uuid.uuid4()}", [0])
    assert prepared.fetch_one(sql, [3]) == {"n": 3}  # the same cursor goes on after an error
    assert len(made) == 1

    connection.close()
    assert prepared.fetch_one(sql, [4]) == {"n": 4}  # a new connection, a cursor of its own
    assert len(made) == 2


@pytest.mark.django_db
def test_the_drivers_cursor_reads_times_in_the_connections_time_zone_as_it_changes():
    sql = f"SELECT TIMESTAMPTZ '2026-06-01 12:00:00+00' AS at -- {uuid.uuid4()}"
    aware = prepared.fetch_one(sql, [])["at"]
    assert aware == datetime(2026, 6, 1, 12, tzinfo=UTC)

    with override_settings(USE_TZ=False, TIME_ZONE="Europe/Paris"):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            (naive,) = cursor.fetchone()
        assert naive == datetime(2026, 6, 1, 14)  # what Django's cursor reads
        assert prepared.fetch_one(sql, [])["at"] == naive

    assert prepared.fetch_one(sql, [])["at"] == aware


@pytest.mark.django_db(transaction=True)
def test_a_lost_statement_is_prepared_again_on_the_drivers_cursor(no_django_cursor):
    sql = f"SELECT %s::int AS n -- {uuid.uuid4()}"
    assert prepared.fetch_one(sql, [1]) == {"n": 1}
    connection.connection.execute("DEALLOCATE ALL")  # what a pooler's DISCARD ALL does

    assert prepared.fetch_one(sql, [2]) == {"n": 2}


@pytest.mark.django_db(transaction=True)
def test_a_broken_transaction_is_refused_as_django_refuses_it():
    with transaction.atomic():
        with pytest.raises(DataError):
            prepared.fetch_all("SELECT 1 / %s::int", [0])
        transaction.set_rollback(True)
        with pytest.raises(TransactionManagementError):
            prepared.fetch_one("SELECT %s::int AS n", [1])
