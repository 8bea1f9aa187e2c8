from django.urls import path

from media_pipeline.storage import local_views as views

urlpatterns = [
    path("storage/upload/<str:token>", views.upload, name="storage-upload"),
    path("storage/download/<str:token>", views.download, name="storage-download"),
    path("storage/part/<str:token>", views.upload_part, name="storage-part"),
]
