"""Every insights answer, on a history with hidden, deleted and album-less tracks, matches the
OpenAPI schema exactly (status, content type and body)."""

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from core.catalog.models import Track
from tests.hardening.test_schemathesis_fuzz import CHECKS, api
from tests.insights.conftest import listen, utc


@pytest.fixture
def history(alice, bob, catalog):
    for n, track in enumerate(catalog):
        listen(alice, track, utc(2026, 2, 1 + n, 12, 0))
        listen(bob, track, utc(2026, 2, 1 + n, 12, 0))
    listen(alice, catalog[0], utc(2025, 12, 31, 23, 59))
    Track.objects.filter(pk=catalog[1].pk).update(is_hidden=True)
    Track.objects.filter(pk=catalog[2].pk).delete()
    alice.stats_public = True
    alice.save(update_fields=["stats_public"])


CASES = [
    ("/api/me/stats/", {}, {"period": "custom", "from": "2026-01-01", "to": "2026-03-01"}),
    ("/api/me/stats/", {}, {"period": "all", "limit": 50}),
    ("/api/me/stats/", {}, {"period": "5y"}),
    ("/api/me/stats/activity/", {}, {"period": "all", "tz": "Asia/Kathmandu"}),
    ("/api/me/stats/recap/{year}/", {"year": 2026}, {"tz": "Asia/Kolkata"}),
    ("/api/me/stats/recap/{year}/", {"year": 2010}, {}),
    ("/api/me/stats/recap/{year}/", {"year": 1969}, {}),
    ("/api/users/{username}/stats/", {"username": "alice"}, {"period": "all"}),
    ("/api/users/{username}/stats/", {"username": "bob"}, {}),
    ("/api/charts/tracks/", {}, {"period": "all"}),
    ("/api/charts/artists/", {}, {"period": "all"}),
    ("/api/charts/albums/", {}, {"period": "all", "limit": 100}),
    ("/api/charts/albums/", {}, {"period": "week"}),
]


@pytest.mark.parametrize(("path", "path_parameters", "query"), CASES)
def test_insights_answers_match_the_schema(history, alice, path, path_parameters, query):
    case = api[path]["GET"].Case(path_parameters=path_parameters, query=query)
    token = RefreshToken.for_user(alice).access_token

    response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    assert response.status_code in (200, 400, 404)
