from django.urls import path

from core.insights import views

urlpatterns = [
    path("me/stats/", views.MeStatsView.as_view(), name="me-stats"),
    path("me/stats/activity/", views.MeActivityView.as_view(), name="me-stats-activity"),
    path("me/stats/recap/<int:year>/", views.MeRecapView.as_view(), name="me-stats-recap"),
    path("users/<str:username>/stats/", views.UserStatsView.as_view(), name="user-stats"),
    path("charts/tracks/", views.TrackChartView.as_view(), name="charts-tracks"),
    path("charts/artists/", views.ArtistChartView.as_view(), name="charts-artists"),
    path("charts/albums/", views.AlbumChartView.as_view(), name="charts-albums"),
]
