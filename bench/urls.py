from django.urls import path

from bench.views import FloorQueryView, FloorView

urlpatterns = [
    path("floor/", FloorView.as_view(), name="bench-floor"),
    path("floor/bare/", FloorView.as_view(), name="bench-floor-bare"),
    path("floor/query/", FloorQueryView.as_view(), name="bench-floor-query"),
]
