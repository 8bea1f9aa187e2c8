"""GET /api/tracks/{id}/."""

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _url(track) -> str:
    return reverse("track-detail", args=[track.pk])


@pytest.mark.parametrize("client_name", ["api_client", "alice_client"])
def test_anyone_reads_a_playable_track_without_storage_details(request, client_name, playable):
    response = request.getfixturevalue(client_name).get(_url(playable))

    assert response.status_code == 200
    assert response.json()["title"] == "Playable"
    assert "storage_key" not in response.json()
    assert "checksum" not in response.json()


@pytest.mark.parametrize("client_name", ["api_client", "alice_client"])
def test_hidden_and_unfinished_tracks_are_not_found_for_listeners(
    request, client_name, hidden, failed_of_another_uploader
):
    client = request.getfixturevalue(client_name)

    for track in (hidden, failed_of_another_uploader):
        response = client.get(_url(track))
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "detail": "Track not found."}


def test_another_uploader_cannot_read_an_unfinished_track(own_processing):
    response = client_for(factories.UploaderFactory()).get(_url(own_processing))

    assert response.status_code == 404


def test_owner_reads_own_unfinished_track_with_storage_details(uploader_client, own_processing):
    response = uploader_client.get(_url(own_processing))

    assert response.status_code == 200
    assert response.json()["status"] == "processing"
    assert response.json()["storage_key"] == own_processing.storage_key


@pytest.mark.parametrize("client_name", ["moderator_client", "staff_client"])
def test_moderators_and_staff_read_hidden_tracks(request, client_name, hidden):
    response = request.getfixturevalue(client_name).get(_url(hidden))

    assert response.status_code == 200
    assert response.json()["is_hidden"] is True


def test_an_unknown_track_is_not_found(alice_client):
    assert alice_client.get(reverse("track-detail", args=[999999])).status_code == 404


def test_favorite_flag_on_the_detail(alice, alice_client, playable):
    factories.FavoriteFactory(user=alice, track=playable)

    assert alice_client.get(_url(playable)).json()["is_favorite"] is True
