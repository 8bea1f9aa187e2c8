"""The API's documentation pages, served whole from this server (no CDN, no font service)."""

from drf_spectacular.views import SpectacularRedocView


class RedocView(SpectacularRedocView):
    template_name = "tonearm/redoc.html"
