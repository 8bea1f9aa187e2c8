"""Reordering with Spotify's meaning: move range_length items from range_start to before
insert_before, indexes taken in the order before the move."""

import pytest

from tests import factories
from tests.playlists.conftest import change_track, listed_order, make_playlist, stored_order


def _reorder(client, playlist, **body):
    return client.post(f"/api/playlists/{playlist.pk}/reorder/", body)


@pytest.fixture
def ten(alice):
    tracks = factories.TrackFactory.create_batch(10)
    return make_playlist(alice, tracks), [t.pk for t in tracks]


def test_first_item_moves_to_the_end(alice_client, ten):
    playlist, ids = ten
    old_snapshot = playlist.snapshot_id

    response = _reorder(alice_client, playlist, range_start=0, insert_before=10)

    assert response.status_code == 200
    assert response.json()["snapshot_id"] != old_snapshot
    assert response.json()["items_count"] == 10
    assert listed_order(alice_client, playlist) == [*ids[1:], ids[0]]


def test_a_range_moves_to_the_start(alice_client, ten):
    playlist, ids = ten

    _reorder(alice_client, playlist, range_start=8, range_length=2, insert_before=0)

    assert listed_order(alice_client, playlist) == [ids[8], ids[9], *ids[:8]]


def test_a_range_moves_forward_into_the_middle(alice_client, ten):
    playlist, ids = ten

    _reorder(alice_client, playlist, range_start=1, range_length=3, insert_before=6)

    assert listed_order(alice_client, playlist) == [
        ids[0],
        ids[4],
        ids[5],
        ids[1],
        ids[2],
        ids[3],
        *ids[6:],
    ]


def test_a_range_moves_back_into_the_middle(alice_client, ten):
    playlist, ids = ten

    _reorder(alice_client, playlist, range_start=7, range_length=2, insert_before=2)

    assert listed_order(alice_client, playlist) == [
        ids[0],
        ids[1],
        ids[7],
        ids[8],
        *ids[2:7],
        ids[9],
    ]


@pytest.mark.parametrize("insert_before", [3, 4, 5])
def test_a_move_onto_itself_changes_nothing(alice_client, ten, insert_before):
    playlist, ids = ten

    response = _reorder(
        alice_client, playlist, range_start=3, range_length=2, insert_before=insert_before
    )

    assert response.status_code == 200
    assert response.json()["snapshot_id"] == playlist.snapshot_id
    assert listed_order(alice_client, playlist) == ids


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"range_start": 10, "insert_before": 0}, "range_start"),
        ({"range_start": 9, "range_length": 2, "insert_before": 0}, "range_start"),
        ({"range_start": 0, "insert_before": 11}, "insert_before"),
        ({"range_start": -1, "insert_before": 0}, "range_start"),
        ({"range_start": 0, "insert_before": -1}, "insert_before"),
        ({"range_start": 0, "insert_before": 2, "range_length": 0}, "range_length"),
        ({"insert_before": 2}, "range_start"),
        ({"range_start": 0}, "insert_before"),
        ({"range_start": "a", "insert_before": 2}, "range_start"),
    ],
)
def test_bad_reorder_is_refused_and_changes_nothing(alice_client, ten, body, field):
    playlist, ids = ten

    response = _reorder(alice_client, playlist, **body)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert stored_order(playlist) == ids
    playlist.refresh_from_db()
    assert playlist.snapshot_id == ten[0].snapshot_id


def test_stale_snapshot_is_a_conflict_and_moves_nothing(alice_client, ten):
    playlist, ids = ten
    stale = playlist.snapshot_id
    _reorder(alice_client, playlist, range_start=0, insert_before=10)

    response = _reorder(alice_client, playlist, range_start=0, insert_before=10, snapshot_id=stale)

    assert response.status_code == 409
    assert listed_order(alice_client, playlist) == [*ids[1:], ids[0]]


def test_two_devices_cannot_silently_overwrite_each_other(alice_client, ten):
    playlist, _ids = ten
    seen_by_both = playlist.snapshot_id

    first = _reorder(
        alice_client, playlist, range_start=0, insert_before=10, snapshot_id=seen_by_both
    )
    second = _reorder(
        alice_client, playlist, range_start=0, insert_before=5, snapshot_id=seen_by_both
    )

    assert first.status_code == 200
    assert second.status_code == 409
    retried = _reorder(
        alice_client,
        playlist,
        range_start=0,
        insert_before=5,
        snapshot_id=first.json()["snapshot_id"],
    )
    assert retried.status_code == 200


def test_indexes_skip_hidden_items_which_stay_in_place(alice_client, alice, tracks):
    playlist = make_playlist(alice, tracks)
    change_track(tracks[1], is_hidden=True)

    response = _reorder(alice_client, playlist, range_start=0, insert_before=2)

    assert response.status_code == 200
    assert listed_order(alice_client, playlist) == [
        tracks[2].pk,
        tracks[0].pk,
        tracks[3].pk,
        tracks[4].pk,
    ]
    assert stored_order(playlist) == [
        tracks[1].pk,
        tracks[2].pk,
        tracks[0].pk,
        tracks[3].pk,
        tracks[4].pk,
    ]
