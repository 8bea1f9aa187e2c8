from django.urls import path

from config import converters  # noqa: F401 (registers <id:...>)
from core.artists import views

urlpatterns = [
    path("artists/<id:pk>/", views.ArtistDetailView.as_view(), name="artist-detail"),
    path("artists/<id:pk>/managers/", views.ArtistManagersView.as_view(), name="artist-managers"),
    path(
        "artists/<id:pk>/managers/<str:username>/",
        views.ArtistManagerDetailView.as_view(),
        name="artist-manager",
    ),
    path("artists/<id:pk>/stats/", views.ArtistStatsView.as_view(), name="artist-stats"),
    path("artists/<id:pk>/follow/", views.ArtistFollowView.as_view(), name="artist-follow"),
    path("albums/<id:pk>/", views.AlbumDetailView.as_view(), name="album-detail"),
    path("users/<str:username>/follow/", views.UserFollowView.as_view(), name="user-follow"),
    path("me/following/", views.FollowingView.as_view(), name="me-following"),
    path("me/feed/", views.FeedView.as_view(), name="me-feed"),
]
