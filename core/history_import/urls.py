from django.urls import path

from config import converters  # noqa: F401 (registers <id:...>)
from core.history_import import views

urlpatterns = [
    path(
        "imports/presigned_upload/",
        views.ImportPresignedUploadView.as_view(),
        name="import-presigned-upload",
    ),
    path("imports/", views.ImportListView.as_view(), name="import-list"),
    path("imports/<id:pk>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("me/tokens/", views.TokenListView.as_view(), name="token-list"),
    path("me/tokens/<id:pk>/", views.TokenDetailView.as_view(), name="token-detail"),
]
