from django.urls import path

from core.library import views

# Explicit paths under tracks/: the catalog's router defines no `stream` or `toggle_favorite`.
urlpatterns = [
    path("tracks/<int:pk>/stream/", views.TrackStreamView.as_view(), name="track-stream"),
    path(
        "tracks/<int:pk>/toggle_favorite/",
        views.TrackToggleFavoriteView.as_view(),
        name="track-toggle-favorite",
    ),
    path("favorites/", views.FavoriteListView.as_view(), name="favorite-list"),
    path("history/", views.HistoryView.as_view(), name="history"),
    path(
        "history/<int:play_id>/progress/",
        views.PlayProgressView.as_view(),
        name="history-progress",
    ),
]
