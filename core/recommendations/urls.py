from django.urls import path

from core.recommendations import views

urlpatterns = [
    path(
        "me/recommendations/tracks/",
        views.RecommendedTracksView.as_view(),
        name="me-recommendations-tracks",
    ),
    path("me/mixes/", views.MixListView.as_view(), name="me-mixes"),
    path("me/mixes/<id:mix_id>/save/", views.MixSaveView.as_view(), name="me-mixes-save"),
    path("tracks/<id:pk>/similar/", views.SimilarTracksView.as_view(), name="tracks-similar"),
    path("artists/<id:pk>/similar/", views.SimilarArtistsView.as_view(), name="artists-similar"),
    path("radio/", views.RadioStartView.as_view(), name="radio-start"),
    path("radio/<uuid:session_id>/next/", views.RadioNextView.as_view(), name="radio-next"),
]
