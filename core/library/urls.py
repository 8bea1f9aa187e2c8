from django.urls import path

from config import converters  # noqa: F401 (registers <id:...>)
from core.library import views

# The stream, the most requested path: config/urls.py puts it before every other API route.
stream_urlpatterns = [
    path("tracks/<id:pk>/stream/", views.TrackStreamView.as_view(), name="track-stream"),
]

# Explicit paths under tracks/: the catalog's router defines no `stream` or `toggle_favorite`.
urlpatterns = [
    path("tracks/<id:pk>/preview/", views.TrackPreviewView.as_view(), name="track-preview"),
    path(
        "tracks/<id:pk>/toggle_favorite/",
        views.TrackToggleFavoriteView.as_view(),
        name="track-toggle-favorite",
    ),
    path(
        "albums/<id:pk>/toggle_favorite/",
        views.AlbumToggleFavoriteView.as_view(),
        name="album-toggle-favorite",
    ),
    path(
        "artists/<id:pk>/toggle_favorite/",
        views.ArtistToggleFavoriteView.as_view(),
        name="artist-toggle-favorite",
    ),
    path("favorites/", views.FavoriteListView.as_view(), name="favorite-list"),
    path("favorites/albums/", views.FavoriteAlbumListView.as_view(), name="favorite-album-list"),
    path("favorites/artists/", views.FavoriteArtistListView.as_view(), name="favorite-artist-list"),
    path("history/", views.HistoryView.as_view(), name="history"),
    path(
        "history/<id:play_id>/progress/",
        views.PlayProgressView.as_view(),
        name="history-progress",
    ),
]
