"""Forwarded headers are believed only from the reverse proxies in TRUSTED_PROXY_IPS.

SECURE_PROXY_SSL_HEADER makes Django take X-Forwarded-Proto: https at its word, and with
NUM_PROXIES the throttles take the client address from X-Forwarded-For: sent straight to the
server by anyone else, they would claim https (and its secure cookies and HSTS) or another
address. A request from any other address loses those headers before anything reads them.
"""

import functools
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)


@functools.lru_cache(maxsize=8)
def _networks(addresses: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return tuple(ipaddress.ip_network(address, strict=False) for address in addresses)


def is_trusted_proxy(address: str) -> bool:
    """Whether `address` (REMOTE_ADDR) is one of TRUSTED_PROXY_IPS."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXY_IPS)))


class TrustedProxyMiddleware:
    """First in MIDDLEWARE: drops the forwarded headers of requests no trusted proxy sent."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
