"""Middleware for the browser-facing pages only (the admin, the site's index), passed over
under /api/.

The API authenticates every request by its bearer token and keeps no session: sessions,
messages and the session user have nothing to do there, yet cost several percent of the
cheapest API request (docs/benchmarks.md). Under /api/ they are skipped, so no session cookie
can authenticate anything there either. Django's CSRF middleware stays as it is (the deploy
checks look for it by name; DRF's views are exempt from it).
"""

from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Sessions
from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class _BrowserOnly:
    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(_BrowserOnly, _Sessions):
    pass


class AuthenticationMiddleware(_BrowserOnly, _Authentication):
    pass


class MessageMiddleware(_BrowserOnly, _Messages):
    pass
