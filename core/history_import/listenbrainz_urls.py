"""ListenBrainz's API paths, at the site root as its clients expect (`/1/...`)."""

from django.urls import path

from core.history_import import listenbrainz

urlpatterns = [
    path("1/submit-listens", listenbrainz.submit_listens, name="listenbrainz-submit-listens"),
    path("1/validate-token", listenbrainz.validate_token, name="listenbrainz-validate-token"),
]
