"""The bench server's WSGI application: the API's, plus a bare floor.

`GET /api/bench/floor/bare/` is the floor's view served by a handler without any middleware:
a bare DRF view with a JWT check, what the middleware stack is measured against
(docs/benchmarks.md). Every other path goes to the API's own application.
"""

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

from config.wsgi import application as api_application

BARE_PATH = "/api/bench/floor/bare/"


class BareHandler(WSGIHandler):
    """Django's WSGI handler with an empty middleware stack."""

    def load_middleware(self, is_async: bool = False) -> None:
        configured = settings.MIDDLEWARE
        settings.MIDDLEWARE = []
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = configured


bare_application = BareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == BARE_PATH:
        return bare_application(environ, start_response)
    return api_application(environ, start_response)
