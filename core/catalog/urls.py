from django.urls import path

from config import converters  # noqa: F401 (registers <id:...>)
from core.catalog import views

urlpatterns = [
    path("tracks/", views.TrackListCreateView.as_view(), name="track-list"),
    path("tracks/<id:pk>/", views.TrackDetailView.as_view(), name="track-detail"),
    path("artists/", views.ArtistListView.as_view(), name="artist-list"),
    path("albums/", views.AlbumListView.as_view(), name="album-list"),
    path("genres/", views.GenreListView.as_view(), name="genre-list"),
    # artists/<id>/ and albums/<id>/ (read and edited by managers): core/artists/urls.py.
]
