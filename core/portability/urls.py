from django.urls import path

from config import converters  # noqa: F401 (registers <id:...>)
from core.portability import views

urlpatterns = [
    path("me/export/", views.ExportListView.as_view(), name="export-list"),
    path("me/export/<id:pk>/", views.ExportDetailView.as_view(), name="export-detail"),
]
