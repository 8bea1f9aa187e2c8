from django.urls import path

from config import converters  # noqa: F401 (registers <id:...>)
from core.lyrics import views

urlpatterns = [
    path("tracks/<id:pk>/lyrics/", views.TrackLyricsView.as_view(), name="track-lyrics"),
]
