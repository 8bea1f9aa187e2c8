"""GET /api/tracks/ with only pagination parameters skips the filter set (core/api/filters.py):
the page is the same, and any other parameter is still validated."""

import pytest
from django.contrib.auth.models import Group

from core.roles import MODERATORS
from tests import factories
from tests.catalog.uploading import TRACKS_URL

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


def test_a_page_only_request_lists_what_an_empty_filter_lists(alice_client, catalog):
    tracks = [factories.TrackFactory() for _ in range(3)]
    newest_first = [t.pk for t in reversed(tracks)] + [catalog["playable"].pk]

    assert _ids(alice_client.get(TRACKS_URL)) == newest_first
    assert _ids(alice_client.get(TRACKS_URL, {"page": 1, "page_size": 2})) == newest_first[:2]
    assert _ids(alice_client.get(TRACKS_URL, {"page": 2, "page_size": 2})) == newest_first[2:]
    # An empty filter goes through the filter set and lists the same.
    assert _ids(alice_client.get(TRACKS_URL, {"search": "", "page_size": 2})) == newest_first[:2]


def test_filters_next_to_page_parameters_still_apply_and_validate(alice_client):
    factories.TrackFactory(title="B side")
    factories.TrackFactory(title="A side")

    assert [
        item["title"]
        for item in alice_client.get(TRACKS_URL, {"page": 1, "ordering": "title"}).json()["results"]
    ] == ["A side", "B side"]
    refused = alice_client.get(TRACKS_URL, {"page": 1, "ordering": "loudness"})
    assert refused.status_code == 400
    assert "ordering" in refused.json()["fields"]


def test_a_new_moderator_sees_hidden_tracks_on_the_next_request(alice, alice_client, hidden):
    """The role query is built once per process; the roles themselves are read per request."""
    assert _ids(alice_client.get(TRACKS_URL)) == []

    alice.groups.add(Group.objects.get(name=MODERATORS))

    assert _ids(alice_client.get(TRACKS_URL)) == [hidden.pk]
