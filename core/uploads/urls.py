from django.urls import path

from core.uploads import views

urlpatterns = [
    path(
        "tracks/presigned_upload/",
        views.TrackPresignedUploadView.as_view(),
        name="track-presigned-upload",
    ),
    path("uploads/<uuid:upload_id>/", views.UploadDetailView.as_view(), name="upload-detail"),
    path("uploads/<uuid:upload_id>/parts/", views.UploadPartsView.as_view(), name="upload-parts"),
    path(
        "uploads/<uuid:upload_id>/complete/",
        views.UploadCompleteView.as_view(),
        name="upload-complete",
    ),
    path("uploads/<uuid:upload_id>/abort/", views.UploadAbortView.as_view(), name="upload-abort"),
]
