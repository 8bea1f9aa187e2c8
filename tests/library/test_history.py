"""GET and DELETE /api/history/: one's own entries, newest first, by cursor."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from core.library.models import Play
from tests import factories

pytestmark = pytest.mark.django_db

HISTORY = "/api/history/"
NOON = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def play_at(user, minutes: int, **kwargs) -> Play:
    return factories.PlayFactory(user=user, started_at=NOON + timedelta(minutes=minutes), **kwargs)


def test_history_lists_ones_own_entries_newest_first(alice, alice_client, bob):
    older = play_at(alice, 0, client="phone")
    newer = play_at(alice, 5, played_seconds=95.5, counted=True)
    play_at(bob, 10)

    response = alice_client.get(HISTORY)

    assert response.status_code == 200
    body = response.json()
    assert [entry["play_id"] for entry in body["results"]] == [newer.pk, older.pk]
    entry = body["results"][1]
    assert set(entry) == {
        "play_id",
        "track",
        "started_at",
        "client",
        "played_seconds",
        "counted",
        "source",
        "external",
    }
    assert entry["client"] == "phone"
    assert entry["started_at"] == "2025-03-01T12:00:00Z"
    assert entry["track"]["id"] == older.track_id
    assert entry["track"]["is_favorite"] is False
    assert body["results"][0]["played_seconds"] == 95.5
    assert body["results"][0]["counted"] is True


def test_track_payload_carries_the_favorite_flag(alice, alice_client):
    play = play_at(alice, 0)
    factories.FavoriteFactory(user=alice, track=play.track)

    entry = alice_client.get(HISTORY).json()["results"][0]

    assert entry["track"]["is_favorite"] is True


def test_cursor_walks_three_pages_without_gaps_or_repeats(alice, alice_client):
    # Two entries share a start time: the id breaks the tie.
    plays = [play_at(alice, minutes) for minutes in (0, 1, 2, 2, 3, 4, 5)]
    expected = [p.pk for p in sorted(plays, key=lambda p: (p.started_at, p.pk), reverse=True)]

    seen, pages, url = [], 0, f"{HISTORY}?page_size=3"
    while url:
        body = alice_client.get(url).json()
        seen += [entry["play_id"] for entry in body["results"]]
        pages += 1
        url = body["next"]

    assert pages == 3
    assert seen == expected
    assert "count" not in body


def test_cursor_page_can_step_back(alice, alice_client):
    for minutes in range(5):
        play_at(alice, minutes)
    first = alice_client.get(HISTORY, {"page_size": 2}).json()
    second = alice_client.get(first["next"]).json()

    back = alice_client.get(second["previous"]).json()

    assert back["results"] == first["results"]


def test_invalid_cursor_is_not_found(alice_client):
    response = alice_client.get(HISTORY, {"cursor": "not-a-cursor"})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("page_size", [1, 10])
def test_history_costs_the_same_queries_whatever_the_page_size(
    alice, alice_client, django_assert_num_queries, page_size
):
    genres = factories.GenreFactory.create_batch(2)
    for minutes in range(10):
        play_at(alice, minutes, track=factories.TrackFactory(genres=genres))

    # user (token) with its role permissions (who may see hidden tracks), history page, the
    # catalog version with alice's favorites and stars among its tracks (one statement), the
    # tracks and their genres (kept for everyone after)
    cold = 5 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(cold):
        response = alice_client.get(HISTORY, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
    if connection.vendor == "postgresql":  # the tracks' payloads are kept
        with django_assert_num_queries(3):
            assert alice_client.get(HISTORY, {"page_size": page_size}).status_code == 200


def test_history_shows_an_edited_track_and_ones_new_marks_at_once(alice, alice_client, bob):
    from core.catalog.models import Track
    from core.ratings import services as ratings

    track = factories.TrackFactory(title="Before")
    play_at(alice, 0, track=track)
    play_at(bob, 0, track=track)
    assert alice_client.get(HISTORY).json()["results"][0]["track"]["title"] == "Before"
    factories.FavoriteFactory(user=bob, track=track)  # another listener's marks stay theirs

    Track.objects.filter(pk=track.pk).update(title="After")
    factories.FavoriteFactory(user=alice, track=track)
    ratings.set_rating(user=alice, item=track, stars=3)

    shown = alice_client.get(HISTORY).json()["results"][0]["track"]
    assert (shown["title"], shown["is_favorite"], shown["my_rating"]) == ("After", True, 3)
    ratings.clear_rating(user=alice, item=track)
    shown = alice_client.get(HISTORY).json()["results"][0]["track"]
    assert (shown["is_favorite"], shown["my_rating"]) == (True, None)


def test_since_and_until_bound_the_start_time_inclusively(alice, alice_client):
    plays = [play_at(alice, minutes) for minutes in (0, 10, 20, 30)]

    body = alice_client.get(
        HISTORY, {"since": "2025-03-01T12:10:00Z", "until": "2025-03-01T12:20:00Z"}
    ).json()

    assert [entry["play_id"] for entry in body["results"]] == [plays[2].pk, plays[1].pk]


def test_since_alone_and_offsets_are_understood(alice, alice_client):
    plays = [play_at(alice, minutes) for minutes in (0, 10)]

    body = alice_client.get(HISTORY, {"since": "2025-03-01T13:05:00+01:00"}).json()

    assert [entry["play_id"] for entry in body["results"]] == [plays[1].pk]


@pytest.mark.parametrize(("counted", "expected"), [("true", [True]), ("false", [False])])
def test_counted_filter(alice, alice_client, counted, expected):
    play_at(alice, 0, counted=True)
    play_at(alice, 1, counted=False)

    body = alice_client.get(HISTORY, {"counted": counted}).json()

    assert [entry["counted"] for entry in body["results"]] == expected


def test_without_counted_filter_every_entry_shows(alice, alice_client):
    play_at(alice, 0, counted=True)
    play_at(alice, 1, counted=False)

    assert len(alice_client.get(HISTORY).json()["results"]) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"until": "2025-13-01T00:00:00Z"}, "until"),
        ({"counted": "maybe"}, "counted"),
        ({"since": "2025-03-02T00:00:00Z", "until": "2025-03-01T00:00:00Z"}, "until"),
    ],
)
def test_bad_filters_are_rejected(alice_client, params, field):
    response = alice_client.get(HISTORY, params)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]


def test_entries_of_hidden_tracks_drop_out_for_listeners(alice, alice_client):
    shown = play_at(alice, 0)
    play_at(alice, 1, track=factories.TrackFactory(is_hidden=True))

    body = alice_client.get(HISTORY).json()

    assert [entry["play_id"] for entry in body["results"]] == [shown.pk]


@pytest.mark.parametrize("who", ["moderator", "staff"])
def test_moderators_see_their_own_plays_of_hidden_tracks(request, who):
    user = request.getfixturevalue(who)
    hidden = play_at(user, 0, track=factories.TrackFactory(is_hidden=True))
    shown = play_at(user, 1)

    body = request.getfixturevalue(f"{who}_client").get(HISTORY).json()

    assert [entry["play_id"] for entry in body["results"]] == [shown.pk, hidden.pk]


@pytest.mark.parametrize("who", ["bob_client", "moderator_client", "staff_client"])
def test_nobody_sees_another_users_history(request, alice, who):
    play_at(alice, 0)

    body = request.getfixturevalue(who).get(HISTORY).json()

    assert body["results"] == []


def test_anonymous_cannot_see_history(api_client):
    response = api_client.get(HISTORY)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_clearing_deletes_ones_own_history_and_says_how_much(alice, alice_client, bob):
    play_at(alice, 0)
    play_at(alice, 1, track=factories.TrackFactory(is_hidden=True))
    kept = play_at(bob, 0)

    response = alice_client.delete(HISTORY)

    assert response.status_code == 200
    assert response.json() == {"deleted": 2}
    assert list(Play.objects.all()) == [kept]
    assert alice_client.delete(HISTORY).json() == {"deleted": 0}


@pytest.mark.parametrize("who", ["moderator_client", "staff_client"])
def test_clearing_as_staff_touches_only_ones_own_history(request, alice, who):
    play_at(alice, 0)

    assert request.getfixturevalue(who).delete(HISTORY).json() == {"deleted": 0}
    assert Play.objects.filter(user=alice).count() == 1


def test_anonymous_cannot_clear_history(api_client, alice):
    play_at(alice, 0)

    assert api_client.delete(HISTORY).status_code == 401
    assert Play.objects.count() == 1
