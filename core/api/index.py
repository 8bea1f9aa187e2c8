"""Where to start: `/` and `/api/` answer with links, not a 404."""

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

_SITE = {
    "api": "api-root",
    "docs": "swagger-ui",
    "redoc": "redoc",
    "schema": "schema",
    "admin": "admin:index",
    "health": "healthz",
    "ready": "readyz",
}
_API = {
    "register": "auth-register",
    "token": "auth-token",
    "me": "me",
    "tracks": "track-list",
    "artists": "artist-list",
    "albums": "album-list",
    "genres": "genre-list",
    "favorites": "favorite-list",
    "history": "history",
    "playlists": "playlist-list",
    "public_playlists": "playlist-public",
    "docs": "swagger-ui",
    "schema": "schema",
}


def _links(request: HttpRequest, names: dict[str, str]) -> dict[str, str]:
    return {key: request.build_absolute_uri(reverse(name)) for key, name in names.items()}


@require_GET
def site_index(request: HttpRequest) -> JsonResponse:
    """The server's front page: what this is and where the API, its docs and the admin are."""
    return JsonResponse(
        {
            "name": "Tonearm",
            "description": "Music upload-and-stream API. Start with the docs.",
            "links": _links(request, _SITE),
        }
    )


@require_GET
def api_root(request: HttpRequest) -> JsonResponse:
    """The API's entry points (the schema at `schema` describes every operation)."""
    return JsonResponse({"links": _links(request, _API)})
