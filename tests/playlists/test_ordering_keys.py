"""How order is stored: sparse keys, so an insert or a move writes only the rows it places,
and the playlist is renumbered only when two neighbours have no key left between them."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.playlists import services
from core.playlists.models import PlaylistItem
from tests import factories
from tests.playlists.conftest import change_track, listed_order, make_playlist, stored_order


def _keys(playlist) -> dict[int, int]:
    return dict(playlist.items.values_list("pk", "position"))


def test_insert_between_adjacent_keys_renumbers_and_keeps_the_order(alice_client, alice, tracks):
    playlist = make_playlist(alice, tracks, keys=[1, 2, 3, 4, 5])
    extra = factories.TrackFactory()

    response = alice_client.post(
        f"/api/playlists/{playlist.pk}/add/", {"track_id": extra.pk, "position": 2}
    )

    assert response.status_code == 201
    ids = [t.pk for t in tracks]
    assert listed_order(alice_client, playlist) == [*ids[:2], extra.pk, *ids[2:]]
    keys = sorted(_keys(playlist).values())
    assert min(b - a for a, b in itertools.pairwise(keys)) > 1


def test_prepend_to_a_first_key_of_one_renumbers(alice_client, alice, tracks):
    playlist = make_playlist(alice, tracks[:3], keys=[1, 2, 3])

    alice_client.post(
        f"/api/playlists/{playlist.pk}/add/", {"track_id": tracks[4].pk, "position": 0}
    )

    assert listed_order(alice_client, playlist) == [tracks[4].pk, *[t.pk for t in tracks[:3]]]
    assert all(key > 0 for key in _keys(playlist).values())


def test_move_of_a_range_between_adjacent_keys_renumbers(alice_client, alice, tracks):
    playlist = make_playlist(alice, tracks, keys=[10, 11, 12, 13, 14])

    alice_client.post(
        f"/api/playlists/{playlist.pk}/reorder/",
        {"range_start": 3, "range_length": 2, "insert_before": 1},
    )

    ids = [t.pk for t in tracks]
    assert listed_order(alice_client, playlist) == [ids[0], ids[3], ids[4], ids[1], ids[2]]


def test_renumbering_keeps_hidden_items_in_place(alice_client, alice, tracks):
    playlist = make_playlist(alice, tracks, keys=[1, 2, 3, 4, 5])
    change_track(tracks[2], is_hidden=True)

    alice_client.post(
        f"/api/playlists/{playlist.pk}/reorder/", {"range_start": 3, "insert_before": 2}
    )

    ids = [t.pk for t in tracks]
    assert stored_order(playlist) == [ids[0], ids[1], ids[2], ids[4], ids[3]]


def test_appending_near_the_largest_key_renumbers(alice_client, alice, tracks):
    playlist = make_playlist(alice, tracks[:2], keys=[1, services.MAX_POSITION])

    alice_client.post(f"/api/playlists/{playlist.pk}/add/", {"track_id": tracks[2].pk})

    assert stored_order(playlist) == [t.pk for t in tracks[:3]]
    assert max(_keys(playlist).values()) < services.MAX_POSITION


def test_repeated_inserts_at_one_spot_stay_in_order(alice_client, alice, tracks):
    playlist = make_playlist(alice, tracks[:2])
    expected = [tracks[0].pk, tracks[1].pk]
    for _ in range(40):
        alice_client.post(
            f"/api/playlists/{playlist.pk}/add/", {"track_id": tracks[2].pk, "position": 1}
        )
        expected.insert(1, tracks[2].pk)

    assert stored_order(playlist) == expected
    assert len(set(_keys(playlist).values())) == 42


def test_a_move_rewrites_only_the_moved_rows(alice_client, alice):
    playlist = make_playlist(alice, [factories.TrackFactory()] * 200)
    before = _keys(playlist)

    alice_client.post(
        f"/api/playlists/{playlist.pk}/reorder/",
        {"range_start": 150, "range_length": 3, "insert_before": 10},
    )

    after = _keys(playlist)
    assert sum(before[pk] != after[pk] for pk in before) == 3


def test_an_insert_rewrites_no_other_row(alice_client, alice, tracks):
    playlist = make_playlist(alice, [tracks[0]] * 200)
    before = _keys(playlist)

    alice_client.post(
        f"/api/playlists/{playlist.pk}/add/", {"track_id": tracks[1].pk, "position": 100}
    )

    after = _keys(playlist)
    assert len(after) == 201
    assert all(after[pk] == key for pk, key in before.items())


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("add", {"position": 5}),
        ("add", {}),
        ("reorder", {"range_start": 7, "insert_before": 2}),
        ("reorder", {"range_start": 1, "range_length": 3, "insert_before": 9}),
        ("remove", {"item_id": "ITEM"}),
    ],
)
def test_a_change_costs_the_same_queries_for_10_and_1000_items(
    alice_client, alice, path, body, django_assert_num_queries
):
    track = factories.TrackFactory()

    def prepare(size: int):
        playlist = make_playlist(alice, [track] * size)
        call = {"track_id": track.pk, **body} if path == "add" else dict(body)
        if call.get("item_id") == "ITEM":
            call["item_id"] = playlist.items.order_by("position")[5].pk
        return f"/api/playlists/{playlist.pk}/{path}/", call

    small_url, small_call = prepare(10)
    large_url, large_call = prepare(1000)
    with CaptureQueriesContext(connection) as small:
        assert alice_client.post(small_url, small_call).status_code in (200, 201)
    with django_assert_num_queries(len(small.captured_queries)):
        assert alice_client.post(large_url, large_call).status_code in (200, 201)


def test_renumbering_two_steps_never_collide_on_the_unique_key(db, alice, tracks):
    playlist = make_playlist(alice, tracks, keys=[1, 2, 3, 4, 5])

    services._renumber(playlist.pk)

    keys = list(PlaylistItem.objects.filter(playlist=playlist).order_by("position"))
    assert [item.track_id for item in keys] == [t.pk for t in tracks]
    assert [item.position for item in keys] == [services.POSITION_GAP * n for n in range(1, 6)]
