"""Adding, moving and removing cost the same queries at 10 items as at 10,000, none of them
walking the track table: the index among playable items is read from the items alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.playlists.models import PlaylistItem
from core.playlists.services import PLAYLIST_MAX_ITEMS
from tests import factories
from tests.playlists.conftest import listed_order, make_playlist

LARGE = PLAYLIST_MAX_ITEMS - 1  # room for one add


@pytest.fixture
def pool(db) -> list:
    """Eleven tracks, the last one hidden: playlists repeat them."""
    return [*factories.TrackFactory.create_batch(10), factories.TrackFactory(is_hidden=True)]


def _playlist(owner, pool, size: int):
    return make_playlist(owner, [pool[n % len(pool)] for n in range(size)])


def _edits(client, playlist) -> dict[str, list[str]]:
    """SQL of an insert in the middle, a move across the middle and a removal, by name."""
    middle = PlaylistItem.objects.filter(playlist=playlist, playable=True).count() // 2
    track_id = factories.TrackFactory().pk
    item_id = PlaylistItem.objects.filter(playlist=playlist).order_by("position")[1].pk
    calls = {
        "add": ("add", {"track_id": track_id, "position": middle}, 201),
        "reorder": ("reorder", {"range_start": 1, "insert_before": middle + 1}, 200),
        "remove": ("remove", {"item_id": item_id}, 200),
    }
    captured = {}
    for name, (action, body, expected) in calls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.post(f"/api/playlists/{playlist.pk}/{action}/", body)
        assert response.status_code == expected, response.json()
        captured[name] = [query["sql"] for query in queries.captured_queries]
    return captured


def test_edits_of_a_10000_item_playlist_cost_the_queries_of_a_10_item_one(
    alice, alice_client, pool
):
    small = _edits(alice_client, _playlist(alice, pool, 10))
    large = _edits(alice_client, _playlist(alice, pool, LARGE))

    assert {name: len(sql) for name, sql in large.items()} == {
        name: len(sql) for name, sql in small.items()
    }


def test_edits_find_their_place_without_reading_the_track_table(alice, alice_client, pool):
    captured = _edits(alice_client, _playlist(alice, pool, LARGE))

    for name, statements in captured.items():
        walks = [sql for sql in statements if "core_playlistitem" in sql]
        assert walks, name
        assert not [sql for sql in walks if "core_track" in sql]


def test_a_large_playlist_lists_and_edits_in_order(alice, alice_client, pool):
    playlist = _playlist(alice, pool, 300)
    hidden = pool[-1]
    before = listed_order(alice_client, playlist)[:100]

    moved = alice_client.post(
        f"/api/playlists/{playlist.pk}/reorder/", {"range_start": 0, "insert_before": 3}
    )

    assert moved.status_code == 200
    after = listed_order(alice_client, playlist)[:100]
    assert after[:3] == [before[1], before[2], before[0]]
    assert after[3:] == before[3:]
    assert hidden.pk not in after
