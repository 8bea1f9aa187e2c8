"""Middleware for the browser-facing pages only (the admin, the site's index), passed over
under /api/.

The API authenticates every request by its bearer token and keeps no session: sessions,
messages, the session user and CSRF checks (which protect cookie-authenticated forms) have
nothing to do there, yet cost a tenth of the cheapest API request (docs/benchmarks.md). Under
/api/ they are skipped, so no session cookie can authenticate anything there either; DRF's
views were CSRF-exempt already.
"""

from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Sessions
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware as _Csrf

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


class CsrfViewMiddleware(_BrowserOnly, _Csrf):
    def process_view(self, request: HttpRequest, callback, callback_args, callback_kwargs):
        if is_api(request):
            return None
        return super().process_view(request, callback, callback_args, callback_kwargs)
