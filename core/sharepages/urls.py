from django.urls import path

from config import converters  # noqa: F401 (registers <id:...>)
from core.sharepages import views

urlpatterns = [
    path("p/<id:pk>/", views.public_playlist_page, name="share-public-playlist"),
    path("s/<slug:token>/", views.share_link_page, name="share-link-page"),
    path("t/<id:pk>/", views.track_page, name="share-track"),
    path("t/<id:pk>/preview", views.track_preview_redirect, name="share-track-preview"),
]
