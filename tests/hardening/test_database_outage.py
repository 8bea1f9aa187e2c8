"""While the database refuses every statement, the API answers 503 in its error shape with
Retry-After, wherever the error is raised, and logs the outage once, not each request.

tests/deploy/test_database_restart_server.py does the same against a PostgreSQL really
stopped and restarted under a running server."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client

from core.accounts.models import User
from core.api.outage import outage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_up() -> Iterator[None]:
    outage.down_since, outage.refused = None, 0
    yield
    outage.down_since, outage.refused = None, 0


@contextmanager
def database_down() -> Iterator[None]:
    """Every statement fails as it does when the server has gone away."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("terminating connection due to administrator command")

    with connection.execute_wrapper(refuse):
        yield


class QueryingMiddleware:
    """A middleware that reads the database before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        User.objects.exists()
        return self.get_response(request)


def assert_503_json(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "code": "database_unavailable",
        "detail": "The database is unavailable; retry shortly.",
    }


def test_an_api_view_answers_503_json_with_retry_after(alice_client):
    with database_down():
        response = alice_client.get("/api/playlists/")

    assert_503_json(response)


def test_an_error_raised_in_middleware_answers_503_json(settings, alice_client):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.QueryingMiddleware"]
    client = Client(raise_request_exception=False)

    with database_down():
        response = client.get("/api/tracks/")

    assert_503_json(response)


def test_the_admin_answers_503_in_plain_text(staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff)

    with database_down():
        response = client.get("/admin/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/plain")


def test_an_outage_is_logged_once_and_its_end_once(alice_client, caplog):
    caplog.set_level(logging.INFO)
    with database_down():
        for _ in range(5):
            alice_client.get("/api/playlists/")

    assert alice_client.get("/api/playlists/").status_code == 200

    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "Database unavailable (OperationalError); answering 503 until it returns",
        messages[-1],
    ]
    assert messages[-1].startswith("Database available again after")
    assert messages[-1].endswith("; 5 requests answered 503")
    assert not any(record.exc_info for record in caplog.records)
