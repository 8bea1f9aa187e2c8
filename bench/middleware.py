"""Counts the SQL queries of a request into an `X-Bench-Queries` header (bench server only).

Only requests that ask, with an `X-Bench-Queries` header of their own, are counted: the load's
requests run without the counter, which would otherwise add its own work to every query of the
endpoints it measures (Django's execute wrappers, and the plain cursor config/prepared.py uses
only while nothing watches the queries)."""

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse

ASK = "HTTP_X_BENCH_QUERIES"


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if ASK not in request.META:
            return self.get_response(request)
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response
