"""A kept database connection that the server ended (a restart, pg_terminate_backend) is
replaced at the start of the next request, without a 503 and without the `SELECT 1` that
CONN_HEALTH_CHECKS sent before every request (config/connections.py)."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="server-ended sessions are a PostgreSQL matter; SQLite has no server",
    ),
]


def _terminate(pid: int) -> None:
    """End the session `pid` from another connection, as a server restart does, and wait
    until its process has gone."""
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])


def test_a_request_after_the_server_ended_the_connection_answers_200(settings):
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 60
    client = Client(raise_request_exception=False)
    assert client.get("/api/genres/").status_code == 200
    pid = connection.connection.info.backend_pid

    _terminate(pid)
    response = client.get("/api/genres/")

    assert response.status_code == 200
    assert connection.connection.info.backend_pid != pid


def test_a_request_on_a_kept_connection_sends_no_health_check(settings, monkeypatch):
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 60
    client = Client()
    assert client.get("/api/genres/").status_code == 200
    checks = []

    def is_usable(self) -> bool:
        checks.append(self.alias)
        return True

    monkeypatch.setattr(BaseDatabaseWrapper, "is_usable", is_usable)
    monkeypatch.setattr(type(connections["default"]), "is_usable", is_usable)

    assert client.get("/api/genres/").status_code == 200
    assert checks == []
