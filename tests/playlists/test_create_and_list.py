"""Creating playlists and listing one's own."""

import pytest

from core.playlists.models import Playlist
from tests import factories
from tests.playlists.conftest import make_playlist


def test_listener_creates_a_playlist(alice_client, alice):
    response = alice_client.post(
        "/api/playlists/", {"name": "Road trip", "description": "Long drives", "is_public": True}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Road trip"
    assert body["description"] == "Long drives"
    assert body["is_public"] is True
    assert body["owner"] == {"id": alice.pk, "username": "alice", "nickname": ""}
    assert body["items_count"] == 0
    assert body["snapshot_id"]
    assert set(body) == {
        "id",
        "name",
        "description",
        "is_public",
        "owner",
        "snapshot_id",
        "items_count",
        "created_at",
        "updated_at",
    }
    assert Playlist.objects.get(pk=body["id"]).owner == alice


def test_new_playlist_is_private_by_default(alice_client):
    response = alice_client.post("/api/playlists/", {"name": "Mine"})

    assert response.status_code == 201
    assert response.json()["is_public"] is False


def test_anonymous_cannot_create_or_list_playlists(api_client, db):
    assert api_client.post("/api/playlists/", {"name": "Nope"}).status_code == 401
    assert api_client.get("/api/playlists/").status_code == 401
    assert not Playlist.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "bell\x07"}, "name"),
        ({"name": "ok", "description": "x" * 2001}, "description"),
        ({"name": "ok", "description": "nul\x00"}, "description"),
        ({"name": "ok", "is_public": "maybe"}, "is_public"),
    ],
)
def test_bad_playlist_details_are_refused(alice_client, body, field):
    response = alice_client.post("/api/playlists/", body)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]
    assert not Playlist.objects.exists()


def test_description_may_span_lines(alice_client):
    response = alice_client.post("/api/playlists/", {"name": "Ok", "description": "one\ntwo"})

    assert response.status_code == 201


def test_own_list_shows_only_ones_own_newest_first_with_counts(alice_client, alice, bob, tracks):
    older = make_playlist(alice, tracks[:2], name="Older")
    newer = make_playlist(alice, tracks[:3], name="Newer", is_public=True)
    make_playlist(bob, tracks, name="Bob's", is_public=True)

    response = alice_client.get("/api/playlists/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [p["id"] for p in body["results"]] == [newer.pk, older.pk]
    assert [p["items_count"] for p in body["results"]] == [3, 2]


def test_own_list_costs_the_same_queries_for_more_playlists(
    alice_client, alice, django_assert_num_queries
):
    factories.PlaylistFactory(owner=alice)
    with django_assert_num_queries(3) as few:
        alice_client.get("/api/playlists/")
    factories.PlaylistFactory.create_batch(30, owner=alice)

    with django_assert_num_queries(len(few.captured_queries)):
        response = alice_client.get("/api/playlists/", {"page_size": 100})
    assert len(response.json()["results"]) == 31
