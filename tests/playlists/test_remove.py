"""Removing items: one by item_id, or every occurrence of a track by track_id."""

import pytest

from tests import factories
from tests.playlists.conftest import change_track, listed_order, make_playlist, stored_order


def _remove(client, playlist, **body):
    return client.post(f"/api/playlists/{playlist.pk}/remove/", body)


def test_remove_one_item_by_id(alice_client, alice, tracks):
    playlist = make_playlist(alice, [tracks[0], tracks[1], tracks[0]])
    last = playlist.items.order_by("position").last()
    old_snapshot = playlist.snapshot_id

    response = _remove(alice_client, playlist, item_id=last.pk)

    assert response.status_code == 200
    body = response.json()
    assert body["removed"] == 1
    assert body["items_count"] == 2
    assert body["snapshot_id"] != old_snapshot
    assert listed_order(alice_client, playlist) == [tracks[0].pk, tracks[1].pk]


def test_remove_by_track_removes_every_occurrence(alice_client, alice, tracks):
    playlist = make_playlist(alice, [tracks[0], tracks[1], tracks[0], tracks[2], tracks[0]])

    response = _remove(alice_client, playlist, track_id=tracks[0].pk)

    assert response.status_code == 200
    assert response.json()["removed"] == 3
    assert response.json()["items_count"] == 2
    assert listed_order(alice_client, playlist) == [tracks[1].pk, tracks[2].pk]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "item_id"),
        ({"item_id": "ITEM", "track_id": "TRACK"}, "item_id"),
        ({"item_id": 999999}, "item_id"),
        ({"item_id": "OTHER_ITEM"}, "item_id"),
        ({"item_id": -3}, "item_id"),
        ({"track_id": "ABSENT_TRACK"}, "track_id"),
        ({"track_id": 999999}, "track_id"),
    ],
)
def test_bad_remove_is_refused_and_changes_nothing(
    alice_client, alice, bob, private_playlist, tracks, body, field
):
    values = {
        "ITEM": private_playlist.items.first().pk,
        "TRACK": tracks[0].pk,
        "OTHER_ITEM": make_playlist(bob, tracks[:1]).items.get().pk,
        "ABSENT_TRACK": factories.TrackFactory().pk,
    }
    body = {key: values.get(value, value) for key, value in body.items()}
    snapshot = private_playlist.snapshot_id

    response = _remove(alice_client, private_playlist, **body)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert stored_order(private_playlist) == [t.pk for t in tracks]
    private_playlist.refresh_from_db()
    assert private_playlist.snapshot_id == snapshot


def test_stale_snapshot_is_a_conflict_and_removes_nothing(alice_client, private_playlist, tracks):
    stale = private_playlist.snapshot_id
    _remove(alice_client, private_playlist, track_id=tracks[4].pk)

    response = _remove(alice_client, private_playlist, track_id=tracks[0].pk, snapshot_id=stale)

    assert response.status_code == 409
    assert stored_order(private_playlist) == [t.pk for t in tracks[:4]]


def test_owner_may_remove_an_item_whose_track_is_hidden(alice_client, private_playlist, tracks):
    change_track(tracks[2], is_hidden=True)

    response = _remove(alice_client, private_playlist, track_id=tracks[2].pk)

    assert response.status_code == 200
    assert stored_order(private_playlist) == [t.pk for t in tracks if t != tracks[2]]
