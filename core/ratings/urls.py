from django.urls import path

from config import converters  # noqa: F401 (registers <id:...>)
from core.ratings import views

urlpatterns = [
    path("tracks/<id:pk>/rating/", views.TrackRatingView.as_view(), name="track-rating"),
    path("albums/<id:pk>/rating/", views.AlbumRatingView.as_view(), name="album-rating"),
]
