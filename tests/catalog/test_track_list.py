"""GET /api/tracks/: who sees which tracks, and in which payload."""

import pytest

from tests import factories
from tests.catalog.uploading import TRACKS_URL
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PRIVATE_FIELDS = {
    "status",
    "failure_reason",
    "is_hidden",
    "storage_key",
    "checksum",
    "uploaded_by",
    "updated_at",
}


def _titles(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {item["title"] for item in response.json()["results"]}


def test_anonymous_sees_only_playable_tracks(api_client, catalog):
    assert _titles(api_client.get(TRACKS_URL)) == {"Playable"}


def test_listener_sees_only_playable_tracks(alice_client, catalog):
    assert _titles(alice_client.get(TRACKS_URL)) == {"Playable"}


def test_uploader_also_sees_own_uploads_in_any_state(uploader_client, catalog):
    assert _titles(uploader_client.get(TRACKS_URL)) == {
        "Playable",
        "Own processing",
        "Own hidden",
    }


def test_another_uploader_does_not_see_someone_elses_unfinished_uploads(catalog):
    other = factories.UploaderFactory()

    assert _titles(client_for(other).get(TRACKS_URL)) == {"Playable"}


@pytest.mark.parametrize("client_name", ["moderator_client", "staff_client"])
def test_moderators_and_staff_see_everything(request, client_name, catalog):
    client = request.getfixturevalue(client_name)

    assert _titles(client.get(TRACKS_URL)) == {
        "Playable",
        "Hidden",
        "Failed elsewhere",
        "Own processing",
        "Own hidden",
    }


def test_listener_payload_has_no_storage_details(alice_client, playable):
    item = alice_client.get(TRACKS_URL).json()["results"][0]

    assert not PRIVATE_FIELDS & set(item)
    assert item["artist"] == {"id": playable.artist_id, "name": playable.artist.name}
    assert item["album"]["title"] == playable.album.title
    assert item["is_favorite"] is False


def test_uploader_sees_storage_details_of_own_tracks_only(uploader, uploader_client, catalog):
    items = {i["title"]: i for i in uploader_client.get(TRACKS_URL).json()["results"]}

    assert not PRIVATE_FIELDS & set(items["Playable"])
    own = items["Own processing"]
    assert set(own) >= PRIVATE_FIELDS
    assert own["status"] == "processing"
    assert own["storage_key"] == catalog["own_processing"].storage_key
    assert own["uploaded_by"] == {"id": uploader.pk, "username": uploader.username}


def test_moderator_sees_storage_details_and_failure_reasons(moderator_client, catalog):
    items = {i["title"]: i for i in moderator_client.get(TRACKS_URL).json()["results"]}

    assert items["Failed elsewhere"]["failure_reason"] == "not audio"
    assert items["Hidden"]["is_hidden"] is True
    assert set(items["Playable"]) >= PRIVATE_FIELDS


def test_favorites_are_flagged_for_the_listener(alice, alice_client, bob):
    liked, other = factories.TrackFactory(), factories.TrackFactory()
    factories.FavoriteFactory(user=alice, track=liked)
    factories.FavoriteFactory(user=bob, track=other)

    flags = {i["id"]: i["is_favorite"] for i in alice_client.get(TRACKS_URL).json()["results"]}

    assert flags == {liked.pk: True, other.pk: False}


def test_the_list_is_paginated_newest_first(alice_client):
    tracks = [factories.TrackFactory() for _ in range(3)]

    first = alice_client.get(TRACKS_URL, {"page_size": 2}).json()
    second = alice_client.get(first["next"]).json()

    assert first["count"] == 3
    assert [i["id"] for i in first["results"] + second["results"]] == [
        t.pk for t in reversed(tracks)
    ]
    assert second["next"] is None


@pytest.mark.parametrize("params", [{"page": 99}, {"page": "x"}])
def test_a_page_out_of_range_is_not_found(alice_client, playable, params):
    response = alice_client.get(TRACKS_URL, params)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
