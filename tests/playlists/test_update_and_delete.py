"""The owner renames, describes, publishes or deletes a playlist."""

import pytest
from django.utils.dateparse import parse_datetime

from core.playlists.models import Playlist, PlaylistItem
from tests.playlists.conftest import make_playlist


def test_owner_changes_details_without_touching_items_or_snapshot(
    alice_client, private_playlist, tracks
):
    snapshot = private_playlist.snapshot_id

    response = alice_client.patch(
        f"/api/playlists/{private_playlist.pk}/",
        {"name": "Renamed", "description": "Now public", "is_public": True},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["description"], body["is_public"]) == (
        "Renamed",
        "Now public",
        True,
    )
    assert body["snapshot_id"] == snapshot
    assert parse_datetime(body["updated_at"]) > private_playlist.updated_at
    private_playlist.refresh_from_db()
    assert private_playlist.is_public is True


def test_partial_update_keeps_other_fields(alice_client, alice):
    playlist = make_playlist(alice, name="Keep", description="Me", is_public=True)

    alice_client.patch(f"/api/playlists/{playlist.pk}/", {"description": ""})

    playlist.refresh_from_db()
    assert (playlist.name, playlist.description, playlist.is_public) == ("Keep", "", True)


def test_making_a_playlist_private_hides_it_from_others(alice_client, bob_client, alice):
    playlist = make_playlist(alice, is_public=True)

    alice_client.patch(f"/api/playlists/{playlist.pk}/", {"is_public": False})

    assert bob_client.get(f"/api/playlists/{playlist.pk}/").status_code == 404
    assert bob_client.get("/api/playlists/public/").json()["count"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "y" * 201}, "name"),
        ({"name": "tab\tin name"}, "name"),
        ({"description": "d" * 2001}, "description"),
        ({"is_public": "sometimes"}, "is_public"),
    ],
)
def test_bad_details_are_refused(alice_client, private_playlist, body, field):
    response = alice_client.patch(f"/api/playlists/{private_playlist.pk}/", body)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    private_playlist.refresh_from_db()
    assert private_playlist.name == "Late night"


def test_owner_deletes_a_playlist_with_its_items(alice_client, private_playlist):
    response = alice_client.delete(f"/api/playlists/{private_playlist.pk}/")

    assert response.status_code == 204
    assert not Playlist.objects.filter(pk=private_playlist.pk).exists()
    assert not PlaylistItem.objects.exists()
