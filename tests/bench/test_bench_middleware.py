"""The bench server's query counter (bench/middleware.py) counts only the requests that ask,
so that the load's requests run the endpoints as production serves them."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from bench.middleware import QueryCountMiddleware


def _view(seen: list):
    def view(request):
        seen.append(list(connection.execute_wrappers))
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("SELECT 2")
        return HttpResponse("ok")

    return view


@pytest.mark.django_db
def test_a_request_that_asks_gets_its_query_count():
    seen: list = []
    request = RequestFactory().get("/api/tracks/", HTTP_X_BENCH_QUERIES="count")

    response = QueryCountMiddleware(_view(seen))(request)

    assert response["X-Bench-Queries"] == "2"
    assert len(seen[0]) == 1  # counted through an execute wrapper


@pytest.mark.django_db
def test_the_loads_requests_run_without_the_counter():
    seen: list = []

    response = QueryCountMiddleware(_view(seen))(RequestFactory().get("/api/tracks/"))

    assert "X-Bench-Queries" not in response
    assert seen == [[]]  # no wrapper around the endpoint's queries
