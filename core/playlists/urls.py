from django.urls import path

from config import converters  # noqa: F401 (registers <id:...>)
from core.playlists import views

# Share tokens are URL-safe base64 (a slug): anything else, a NUL byte included, is a 404
# before it reaches a query.
urlpatterns = [
    path("playlists/", views.PlaylistListCreateView.as_view(), name="playlist-list"),
    path("playlists/public/", views.PublicPlaylistListView.as_view(), name="playlist-public"),
    path("playlists/<id:pk>/", views.PlaylistDetailView.as_view(), name="playlist-detail"),
    path("playlists/<id:pk>/items/", views.PlaylistItemListView.as_view(), name="playlist-items"),
    path("playlists/<id:pk>/add/", views.PlaylistAddView.as_view(), name="playlist-add"),
    path("playlists/<id:pk>/remove/", views.PlaylistRemoveView.as_view(), name="playlist-remove"),
    path(
        "playlists/<id:pk>/reorder/", views.PlaylistReorderView.as_view(), name="playlist-reorder"
    ),
    path(
        "playlists/<id:pk>/shares/",
        views.PlaylistShareListCreateView.as_view(),
        name="playlist-shares",
    ),
    path(
        "playlists/<id:pk>/shares/<id:share_id>/",
        views.PlaylistShareDetailView.as_view(),
        name="playlist-share-detail",
    ),
    path("shared/<slug:token>/", views.SharedPlaylistView.as_view(), name="shared-playlist"),
    path(
        "shared/<slug:token>/items/",
        views.SharedPlaylistItemListView.as_view(),
        name="shared-playlist-items",
    ),
]
