"""Concurrent requests on PostgreSQL: no duplicate rows, no server errors."""

from collections.abc import Callable

import pytest

from core.library.models import Favorite, Play
from core.library.stream import play_start
from tests import factories
from tests.concurrency import run_together
from tests.conftest import client_for
from tests.library.paths import favorite_url, stream_url

ROUNDS = 5


def posts(user, url: str, count: int) -> list[Callable[[], object]]:
    """`count` POSTs to `url`, each from its own client authenticated as `user`."""
    clients = [client_for(user) for _ in range(count)]
    return [lambda c=c: c.post(url) for c in clients]


@pytest.mark.django_db(transaction=True)
def test_concurrent_streams_of_one_track_share_one_play():
    user = factories.UserFactory()
    for _ in range(ROUNDS):
        track = factories.TrackFactory()

        responses = run_together(posts(user, stream_url(track.pk), 4))

        assert [r.status_code for r in responses] == [200] * 4
        assert len({r.json()["play_id"] for r in responses}) == 1
        assert Play.objects.filter(user=user, track=track).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_history_inserts_that_found_no_entry_still_open_one():
    """Callers that each looked for an entry before either inserted: the lock settles it."""
    user = factories.UserFactory()
    for _ in range(ROUNDS):
        track = factories.TrackFactory()
        calls = [
            lambda t=track: play_start(user_id=user.pk, track_id=t.pk, client="test")
            for _ in range(4)
        ]

        play_ids = run_together(calls)

        assert len(set(play_ids)) == 1
        assert Play.objects.filter(user=user, track=track).count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_streams_of_different_tracks_each_open_an_entry():
    user = factories.UserFactory()
    tracks = [factories.TrackFactory() for _ in range(6)]
    clients = [client_for(user) for _ in tracks]

    responses = run_together(
        [lambda c=c, t=t: c.post(stream_url(t.pk)) for c, t in zip(clients, tracks, strict=True)]
    )

    assert {r.status_code for r in responses} == {200}
    assert Play.objects.filter(user=user).count() == len(tracks)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_toggles_leave_a_consistent_favorite():
    user = factories.UserFactory()
    for _ in range(ROUNDS):
        track = factories.TrackFactory()

        responses = run_together(posts(user, favorite_url(track.pk), 2))

        assert [r.status_code for r in responses] == [200, 200]
        states = sorted(r.json()["is_favorite"] for r in responses)
        rows = Favorite.objects.filter(user=user, track=track).count()
        # Either both toggles merged into one favorite, or one ran after the other.
        assert (rows, states) in [(1, [True, True]), (0, [False, True])]


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_toggles_never_fail_or_duplicate():
    user = factories.UserFactory()
    track = factories.TrackFactory()

    responses = run_together(posts(user, favorite_url(track.pk), 8))

    assert {r.status_code for r in responses} == {200}
    assert Favorite.objects.filter(user=user, track=track).count() in (0, 1)
