from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import health
from core.api import docs, index
from core.library import urls as library_urls

api_patterns = [
    path("", index.api_root, name="api-root"),
    path("", include("core.accounts.urls")),
    path("", include("core.catalog.urls")),
    path("", include("core.library.urls")),
    path("", include("core.lyrics.urls")),
    path("", include("core.playlists.urls")),
    path("", include("core.reports.urls")),
    path("", include("core.insights.urls")),
    path("", include("core.recommendations.urls")),
    path("", include("core.uploads.urls")),
    path("", include("core.history_import.urls")),
    path("", include("core.portability.urls")),
    path("", include("core.artists.urls")),
    path("", include("core.ratings.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", docs.RedocView.as_view(url_name="schema"), name="redoc"),
]

# Errors Django answers itself (unknown URLs, unreadable requests) take the API's JSON shape.
handler400 = "core.api.errors.bad_request"
handler403 = "core.api.errors.permission_denied"
handler404 = "core.api.errors.page_not_found"
handler500 = "core.api.errors.server_error"

urlpatterns = [
    # Routes are tried in order, and the stream is the most requested (no other route matches it).
    path("api/", include(library_urls.stream_urlpatterns)),
    path("", index.site_index, name="index"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Uploads and processing moved from the media_pipeline app into core: old admin links follow.
    path("admin/media_pipeline/", RedirectView.as_view(url="/admin/core/", permanent=True)),
    path(
        "admin/media_pipeline/<path:rest>",
        RedirectView.as_view(url="/admin/core/%(rest)s", permanent=True, query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
    # Other players scrobble here with ListenBrainz's protocol (core/history_import).
    path("", include("core.history_import.listenbrainz_urls")),
    path("", include("core.sharepages.urls")),
    path("", include("core.subsonic.urls")),
    path("", include("media_pipeline.storage.urls")),
]

if settings.STORAGE_BACKEND == "local":
    from django.views.static import serve

    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

if settings.BENCH_ENDPOINTS:
    # First: the floor measures the stack, not a walk through the API's patterns.
    urlpatterns.insert(0, path("api/bench/", include("bench.urls")))
