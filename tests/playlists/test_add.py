"""Adding tracks: append or insert at an index, only playable tracks, a fresh snapshot_id."""

import pytest

from core.playlists.models import PlaylistItem
from core.playlists.services import PLAYLIST_MAX_ITEMS
from tests import factories
from tests.playlists.conftest import change_track, listed_order, make_playlist, stored_order


def _add(client, playlist, **body):
    return client.post(f"/api/playlists/{playlist.pk}/add/", body)


def test_add_appends_and_returns_a_new_snapshot(alice_client, private_playlist, tracks):
    old_snapshot = private_playlist.snapshot_id
    extra = factories.TrackFactory()

    response = _add(alice_client, private_playlist, track_id=extra.pk)

    assert response.status_code == 201
    body = response.json()
    assert body["snapshot_id"] != old_snapshot
    assert body["items_count"] == 6
    assert PlaylistItem.objects.get(pk=body["item_id"]).track == extra
    assert listed_order(alice_client, private_playlist) == [*[t.pk for t in tracks], extra.pk]
    private_playlist.refresh_from_db()
    assert private_playlist.snapshot_id == body["snapshot_id"]
    assert private_playlist.items_count == 6


@pytest.mark.parametrize("position", [0, 2, 5])
def test_add_inserts_at_the_given_index(alice_client, private_playlist, tracks, position):
    extra = factories.TrackFactory()
    expected = [t.pk for t in tracks]
    expected.insert(position, extra.pk)

    response = _add(alice_client, private_playlist, track_id=extra.pk, position=position)

    assert response.status_code == 201
    assert listed_order(alice_client, private_playlist) == expected


def test_first_track_goes_into_an_empty_playlist(alice_client, alice, tracks):
    playlist = make_playlist(alice)

    assert _add(alice_client, playlist, track_id=tracks[0].pk, position=0).status_code == 201
    assert _add(alice_client, playlist, track_id=tracks[1].pk).status_code == 201
    assert listed_order(alice_client, playlist) == [tracks[0].pk, tracks[1].pk]


def test_same_track_can_be_added_twice(alice_client, private_playlist, tracks):
    _add(alice_client, private_playlist, track_id=tracks[0].pk)

    assert listed_order(alice_client, private_playlist).count(tracks[0].pk) == 2


def test_index_skips_hidden_items_and_lands_after_them(alice_client, private_playlist, tracks):
    change_track(tracks[1], is_hidden=True)
    extra = factories.TrackFactory()

    _add(alice_client, private_playlist, track_id=extra.pk, position=1)

    assert stored_order(private_playlist) == [
        tracks[0].pk,
        tracks[1].pk,
        extra.pk,
        tracks[2].pk,
        tracks[3].pk,
        tracks[4].pk,
    ]


def test_position_counts_only_playable_items(alice_client, private_playlist, tracks):
    change_track(tracks[4], is_hidden=True)
    extra = factories.TrackFactory()

    assert _add(alice_client, private_playlist, track_id=extra.pk, position=5).status_code == 400
    assert _add(alice_client, private_playlist, track_id=extra.pk, position=4).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "track_id"),
        ({"track_id": "abc"}, "track_id"),
        ({"track_id": 0}, "track_id"),
        ({"track_id": 999999}, "track_id"),
        ({"track_id": "TRACK", "position": 6}, "position"),
        ({"track_id": "TRACK", "position": -1}, "position"),
        ({"track_id": "TRACK", "position": "first"}, "position"),
        ({"track_id": "TRACK", "snapshot_id": "x" * 33}, "snapshot_id"),
    ],
)
def test_bad_add_is_refused_and_changes_nothing(
    alice_client, private_playlist, tracks, body, field
):
    body = {key: tracks[0].pk if value == "TRACK" else value for key, value in body.items()}
    before = stored_order(private_playlist)

    response = _add(alice_client, private_playlist, **body)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert stored_order(private_playlist) == before
    private_playlist.refresh_from_db()
    assert private_playlist.items_count == 5


def test_only_playable_tracks_may_be_added(
    alice_client, uploader_client, private_playlist, hidden_track, unready_track, uploader
):
    own_unready = factories.TrackFactory(uploaded_by=uploader, status="processing")
    own_playlist = make_playlist(uploader)

    for track in (hidden_track, unready_track):
        response = _add(alice_client, private_playlist, track_id=track.pk)
        assert response.status_code == 400
        assert response.json()["fields"] == {"track_id": ["Track not found or not playable."]}
    assert _add(uploader_client, own_playlist, track_id=own_unready.pk).status_code == 400
    assert private_playlist.items.count() == 5


def test_stale_snapshot_is_a_conflict_and_changes_nothing(alice_client, private_playlist, tracks):
    stale = private_playlist.snapshot_id
    current = _add(alice_client, private_playlist, track_id=tracks[0].pk).json()["snapshot_id"]

    response = _add(alice_client, private_playlist, track_id=tracks[1].pk, snapshot_id=stale)

    assert response.status_code == 409
    assert response.json()["code"] == "stale_snapshot"
    assert "snapshot_id" in response.json()["fields"]
    private_playlist.refresh_from_db()
    assert private_playlist.snapshot_id == current
    assert private_playlist.items_count == 6
    assert stored_order(private_playlist)[-1] == tracks[0].pk


def test_current_snapshot_is_accepted(alice_client, private_playlist, tracks):
    response = _add(
        alice_client,
        private_playlist,
        track_id=tracks[0].pk,
        snapshot_id=private_playlist.snapshot_id,
    )

    assert response.status_code == 201


def test_adding_to_a_foreign_playlist_is_refused(bob_client, private_playlist, public_playlist):
    track_id = factories.TrackFactory().pk

    assert _add(bob_client, private_playlist, track_id=track_id).status_code == 404
    assert _add(bob_client, public_playlist, track_id=track_id).status_code == 403
    assert private_playlist.items.count() == public_playlist.items.count() == 5


def test_a_full_playlist_takes_no_more(alice_client, alice, tracks):
    playlist = make_playlist(alice, [tracks[0]] * PLAYLIST_MAX_ITEMS)

    response = _add(alice_client, playlist, track_id=tracks[1].pk)

    assert response.status_code == 400
    assert response.json()["code"] == "playlist_full"
    assert playlist.items.count() == PLAYLIST_MAX_ITEMS
    removed = alice_client.post(
        f"/api/playlists/{playlist.pk}/remove/", {"item_id": playlist.items.first().pk}
    )
    assert removed.status_code == 200
    assert _add(alice_client, playlist, track_id=tracks[1].pk).status_code == 201
