from django.urls import path

from core.uploads import views as api

urlpatterns = [
    path("uploads/<uuid:upload_id>/", api.UploadDetailView.as_view(), name="upload-detail"),
    path("uploads/<uuid:upload_id>/parts/", api.UploadPartsView.as_view(), name="upload-parts"),
    path(
        "uploads/<uuid:upload_id>/complete/",
        api.UploadCompleteView.as_view(),
        name="upload-complete",
    ),
    path("uploads/<uuid:upload_id>/abort/", api.UploadAbortView.as_view(), name="upload-abort"),
]
