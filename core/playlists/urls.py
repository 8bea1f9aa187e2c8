from django.urls import path

from core.playlists import views

# Share tokens are URL-safe base64 (a slug): anything else, a NUL byte included, is a 404
# before it reaches a query.
urlpatterns = [
    path("playlists/", views.PlaylistListCreateView.as_view(), name="playlist-list"),
    path("playlists/public/", views.PublicPlaylistListView.as_view(), name="playlist-public"),
    path("playlists/<int:pk>/", views.PlaylistDetailView.as_view(), name="playlist-detail"),
    path("playlists/<int:pk>/items/", views.PlaylistItemListView.as_view(), name="playlist-items"),
    path("playlists/<int:pk>/add/", views.PlaylistAddView.as_view(), name="playlist-add"),
    path("playlists/<int:pk>/remove/", views.PlaylistRemoveView.as_view(), name="playlist-remove"),
    path(
        "playlists/<int:pk>/reorder/", views.PlaylistReorderView.as_view(), name="playlist-reorder"
    ),
    path(
        "playlists/<int:pk>/shares/",
        views.PlaylistShareListCreateView.as_view(),
        name="playlist-shares",
    ),
    path(
        "playlists/<int:pk>/shares/<int:share_id>/",
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
