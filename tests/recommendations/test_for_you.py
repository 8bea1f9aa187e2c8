"""GET /api/me/recommendations/tracks/: the listener's taste, minus what they just heard and
what they may not play, diversified, each item with a true reason."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.recommendations import selectors
from tests.conftest import client_for
from tests.recommendations.conftest import listened

URL = "/api/me/recommendations/tracks/"


def _get(user, **params):
    response = client_for(user).get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_rock_listener_gets_rock_tracks_they_have_not_heard(trained):
    items = _get(trained.alice, limit=10)

    rock = {t.pk for t in trained.rock_tracks} - {t.pk for t in trained.alice_heard}
    assert items
    assert all(item["track"]["id"] in rock for item in items if item["score"] is not None)
    assert sum(item["score"] is not None for item in items) >= 4


def test_each_reason_names_a_track_the_listener_listened_to(trained):
    heard = {f"Because you listened to {t.title} by {t.artist.name}" for t in trained.alice_heard}

    items = _get(trained.alice, limit=10)

    model_items = [i for i in items if i["score"] is not None]
    assert model_items
    assert all(item["reason"] in heard for item in model_items)


def test_tracks_played_in_the_last_30_days_are_left_out(trained):
    first = _get(trained.alice, limit=5)[0]["track"]["id"]
    track = next(t for t in trained.rock_tracks if t.pk == first)
    listened(trained.alice, track, days_ago=29, counted=False, seconds=3)

    ids = [item["track"]["id"] for item in _get(trained.alice, limit=50)]

    assert first not in ids


def test_hidden_and_unfinished_tracks_are_left_out(trained):
    items = _get(trained.alice, limit=4)
    hidden, failed = (
        next(t for t in trained.rock_tracks if t.pk == items[i]["track"]["id"]) for i in (0, 1)
    )
    hidden.is_hidden = True
    hidden.save()
    failed.status = "failed"
    failed.save()

    ids = [item["track"]["id"] for item in _get(trained.alice, limit=50)]

    assert hidden.pk not in ids and failed.pk not in ids


def test_a_reason_never_names_a_track_hidden_since(trained):
    for track in trained.alice_heard:
        track.is_hidden = True
        track.save()

    items = _get(trained.alice, limit=10)

    assert items
    for item in items:
        assert all(t.title not in item["reason"] for t in trained.alice_heard)


def test_at_most_two_tracks_per_artist_and_one_per_album(trained):
    items = _get(trained.alice, limit=50)

    artists = [item["track"]["artist"]["id"] for item in items]
    albums = [item["track"]["album"]["id"] for item in items if item["track"]["album"]]
    assert max(artists.count(a) for a in artists) <= selectors.MAX_PER_ARTIST
    assert max(albums.count(a) for a in albums) <= selectors.MAX_PER_ALBUM


def test_a_new_listener_gets_the_most_played_tracks_saying_so(trained, bob):
    items = _get(bob, limit=5)

    assert len(items) == 5
    assert {item["reason"] for item in items} == {selectors.POPULAR}
    assert all(item["score"] is None for item in items)


def test_with_no_training_yet_a_listener_still_gets_charts(world):
    items = _get(world.alice, limit=3)

    assert [item["reason"] for item in items] == [selectors.POPULAR] * 3


def _queries(client, limit: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"limit": limit}).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_limit(trained):
    client = client_for(trained.alice)

    # Served by the model alone; then topped up from the charts (the listener's favorite
    # genres and the most played: two queries more).
    assert _queries(client, 2) == _queries(client, 4)
    assert _queries(client, 30) == _queries(client, 100) == _queries(client, 2) + 2


def test_anonymous_callers_get_401(api_client):
    assert api_client.get(URL).status_code == 401


def test_a_limit_out_of_range_is_a_400_naming_it(alice_client):
    for limit in ("0", "101", "many"):
        response = alice_client.get(URL, {"limit": limit})
        assert response.status_code == 400
        assert "limit" in response.json()["fields"]


def test_the_fast_payloads_are_the_serializers_payloads(trained):
    from core.ratings.services import set_rating
    from core.recommendations.serializers import RecommendedTrackOutputSerializer
    from tests import factories

    picks = selectors.recommended_tracks(user=trained.alice, limit=20)
    first = next(t for t in trained.rock_tracks if t.pk == picks[0].track_id)
    set_rating(user=trained.alice, item=first, stars=4)
    factories.FavoriteFactory(user=trained.alice, track=first)

    fast = selectors.pick_payloads(picks, trained.alice)
    slow = RecommendedTrackOutputSerializer(
        selectors.with_tracks(picks, trained.alice), many=True
    ).data

    assert json.dumps(fast) == json.dumps(slow)
    assert fast[0]["track"]["my_rating"] == 4
    assert fast[0]["track"]["is_favorite"] is True
