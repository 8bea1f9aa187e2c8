"""Concurrent changes to one playlist on PostgreSQL: no duplicate or lost positions."""

import pytest

from core.playlists.models import Playlist, PlaylistItem
from tests import factories
from tests.concurrency import run_together
from tests.conftest import client_for
from tests.playlists.conftest import make_playlist

THREADS = 8


def post_together(user, calls: list[tuple[str, dict]]) -> list:
    """POST each (url, body) from its own thread (so its own connection), all released at once."""
    clients = [client_for(user) for _ in calls]
    return run_together(
        [lambda c=c, call=call: c.post(*call) for c, call in zip(clients, calls, strict=True)]
    )


def _assert_consistent(playlist: Playlist, expected_count: int) -> None:
    positions = list(
        PlaylistItem.objects.filter(playlist=playlist).values_list("position", flat=True)
    )
    assert len(positions) == expected_count
    assert len(set(positions)) == expected_count
    playlist.refresh_from_db()
    assert playlist.items_count == expected_count


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("position", [None, 0, 1], ids=["append", "prepend", "middle"])
def test_concurrent_adds_each_land_once(position):
    owner = factories.UserFactory()
    playlist = make_playlist(owner, factories.TrackFactory.create_batch(2))
    tracks = factories.TrackFactory.create_batch(THREADS)
    extra = {} if position is None else {"position": position}
    bodies = [{"track_id": track.pk, **extra} for track in tracks]

    url = f"/api/playlists/{playlist.pk}/add/"

    responses = post_together(owner, [(url, body) for body in bodies])

    assert [r.status_code for r in responses] == [201] * THREADS
    assert len({r.json()["snapshot_id"] for r in responses}) == THREADS
    _assert_consistent(playlist, THREADS + 2)
    added = set(playlist.items.values_list("track_id", flat=True))
    assert {t.pk for t in tracks} <= added


@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_with_one_snapshot_let_exactly_one_through():
    owner = factories.UserFactory()
    playlist = make_playlist(owner, factories.TrackFactory.create_batch(2))
    track = factories.TrackFactory()
    body = {"track_id": track.pk, "snapshot_id": playlist.snapshot_id}

    url = f"/api/playlists/{playlist.pk}/add/"

    responses = post_together(owner, [(url, body)] * THREADS)

    assert sorted(r.status_code for r in responses) == [201] + [409] * (THREADS - 1)
    _assert_consistent(playlist, 3)


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_and_adds_keep_every_item_once():
    owner = factories.UserFactory()
    playlist = make_playlist(owner, factories.TrackFactory.create_batch(6), keys=range(1, 7))
    track = factories.TrackFactory()
    url = f"/api/playlists/{playlist.pk}/"
    move = (url + "reorder/", {"range_start": 5, "insert_before": 1})
    add = (url + "add/", {"track_id": track.pk, "position": 1})

    responses = post_together(owner, [move, add] * (THREADS // 2))

    assert {r.status_code for r in responses[0::2]} == {200}
    assert {r.status_code for r in responses[1::2]} == {201}
    _assert_consistent(playlist, 6 + THREADS // 2)
