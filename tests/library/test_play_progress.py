"""POST /api/history/{play_id}/progress/: how long was played, and when a listen counts."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from core.library.models import Play
from tests import factories
from tests.library.paths import progress_url, stream_url

pytestmark = pytest.mark.django_db


def play_of(user, *, duration: float | None, started_at: datetime | None = None) -> Play:
    """A history entry whose play started an hour ago unless `started_at` says otherwise."""
    return factories.PlayFactory(
        user=user,
        track=factories.TrackFactory(duration=duration),
        started_at=started_at or timezone.now() - timedelta(hours=1),
    )


def report(client, play: Play, seconds) -> dict:
    response = client.post(progress_url(play.pk), {"played_seconds": seconds})
    assert response.status_code == 200, response.json()
    return response.json()


def test_progress_is_stored_and_returned(alice, alice_client):
    play = play_of(alice, duration=180)

    body = report(alice_client, play, 12.5)

    assert body == {"play_id": play.pk, "played_seconds": 12.5, "counted": False}
    play.refresh_from_db()
    assert play.played_seconds == 12.5


def test_the_furthest_report_wins_when_reports_arrive_out_of_order(alice, alice_client):
    play = play_of(alice, duration=180)

    report(alice_client, play, 60)
    body = report(alice_client, play, 20)

    assert body["played_seconds"] == 60
    play.refresh_from_db()
    assert play.played_seconds == 60


@pytest.mark.parametrize(
    ("duration", "below", "at"),
    [
        (100, 49.9, 50),  # half the track
        (600, 239.9, 240),  # four minutes cap the threshold
        (30, 14.9, 15),  # the shortest track that can count
        (480, 239.9, 240),  # exactly half is also exactly four minutes
    ],
)
def test_a_listen_counts_at_half_the_track_or_four_minutes(
    alice, alice_client, duration, below, at
):
    play = play_of(alice, duration=duration)

    assert report(alice_client, play, below)["counted"] is False
    assert report(alice_client, play, at)["counted"] is True
    play.refresh_from_db()
    assert play.counted and play.counted_at is not None


def test_a_track_shorter_than_30_seconds_never_counts(alice, alice_client):
    play = play_of(alice, duration=29)

    body = report(alice_client, play, 29)

    assert body["counted"] is False
    assert Play.objects.get(pk=play.pk).counted_at is None


def test_a_counted_listen_stays_counted_with_its_first_time(alice, alice_client, clock):
    play = play_of(alice, duration=100, started_at=clock.start - timedelta(minutes=5))
    report(alice_client, play, 50)
    counted_at = Play.objects.get(pk=play.pk).counted_at

    clock.advance(30)
    body = report(alice_client, play, 80)

    assert body["counted"] is True
    assert Play.objects.get(pk=play.pk).counted_at == counted_at == clock.start


def test_unknown_duration_accepts_any_length_but_never_counts(alice, alice_client):
    play = play_of(alice, duration=None, started_at=timezone.now() - timedelta(hours=2))

    body = report(alice_client, play, 5000)

    assert body == {"play_id": play.pk, "played_seconds": 5000, "counted": False}


def test_a_listen_counts_on_the_next_report_once_the_duration_is_known(alice, alice_client):
    play = play_of(alice, duration=None)
    report(alice_client, play, 120)
    play.track.duration = 200
    play.track.save()

    body = report(alice_client, play, 120)

    assert body == {"play_id": play.pk, "played_seconds": 120, "counted": True}


def test_a_report_up_to_one_second_past_the_end_is_accepted(alice, alice_client):
    play = play_of(alice, duration=100)

    assert report(alice_client, play, 101)["played_seconds"] == 101


@pytest.mark.parametrize(
    "payload",
    [
        {"played_seconds": 101.5},
        {"played_seconds": -1},
        {"played_seconds": "a while"},
        {"played_seconds": "nan"},
        {"played_seconds": None},
        {},
    ],
)
def test_bad_progress_is_rejected_and_changes_nothing(alice, alice_client, payload):
    play = play_of(alice, duration=100)

    response = alice_client.post(progress_url(play.pk), payload)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "played_seconds" in body["fields"]
    assert Play.objects.get(pk=play.pk).played_seconds == 0


def test_a_claim_made_the_instant_the_play_started_is_not_counted(alice, alice_client, clock):
    play = play_of(alice, duration=180, started_at=clock.start)

    body = report(alice_client, play, 90)

    assert body["counted"] is False
    assert Play.objects.filter(pk=play.pk, counted=True).exists() is False


def test_a_claim_is_held_to_the_wall_time_since_the_play_started(
    alice, alice_client, clock, settings
):
    settings.PLAY_PROGRESS_TOLERANCE_SECONDS = 5
    play = play_of(alice, duration=180, started_at=clock.start)
    clock.advance(20)

    body = report(alice_client, play, 90)

    assert body == {"play_id": play.pk, "played_seconds": 25, "counted": False}
    assert Play.objects.get(pk=play.pk).played_seconds == 25


def test_a_claim_after_the_time_really_elapsed_is_counted(alice, alice_client, clock):
    play = play_of(alice, duration=180, started_at=clock.start)
    report(alice_client, play, 90)
    clock.advance(90)

    body = report(alice_client, play, 90)

    assert body == {"play_id": play.pk, "played_seconds": 90, "counted": True}


def test_a_stream_then_an_instant_claim_adds_nothing_to_the_play_count(alice, alice_client):
    track = factories.TrackFactory(duration=180)
    play_id = alice_client.post(stream_url(track.pk)).json()["play_id"]

    alice_client.post(progress_url(play_id), {"played_seconds": 179})

    assert not Play.objects.filter(track=track, counted=True).exists()


@pytest.mark.parametrize("who", ["bob_client", "moderator_client", "staff_client"])
def test_nobody_else_can_report_on_a_play(request, alice, who):
    play = play_of(alice, duration=100)

    response = request.getfixturevalue(who).post(progress_url(play.pk), {"played_seconds": 60})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Play.objects.get(pk=play.pk).played_seconds == 0


def test_anonymous_cannot_report_progress(api_client, alice):
    play = play_of(alice, duration=100)

    response = api_client.post(progress_url(play.pk), {"played_seconds": 60})

    assert response.status_code == 401


def test_unknown_play_is_not_found(alice_client):
    response = alice_client.post(progress_url(999_999), {"played_seconds": 1})

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "History entry not found."}
