"""Asking for the same track again within the dedup window reuses the history entry."""

from unittest import mock

import pytest

from core.library.models import Play
from media_pipeline.storage import get_storage
from tests import factories
from tests.library.paths import stream_url

pytestmark = pytest.mark.django_db


def test_repeat_within_the_window_returns_a_fresh_url_and_the_same_play(alice_client, track, clock):
    storage = get_storage()
    with mock.patch.object(storage, "presign_download", wraps=storage.presign_download) as presign:
        first = alice_client.post(stream_url(track.pk)).json()
        clock.advance(29)
        second = alice_client.post(stream_url(track.pk)).json()

    assert presign.call_count == 2
    assert second["play_id"] == first["play_id"]
    assert Play.objects.count() == 1
    assert Play.objects.get().started_at == clock.start


def test_repeat_after_the_window_opens_a_new_play(alice_client, track, clock):
    first = alice_client.post(stream_url(track.pk)).json()
    clock.advance(30)
    second = alice_client.post(stream_url(track.pk)).json()

    assert second["play_id"] != first["play_id"]
    assert Play.objects.count() == 2


def test_window_follows_the_setting(alice_client, track, clock, settings):
    settings.PLAY_DEDUP_WINDOW_SECONDS = 120

    first = alice_client.post(stream_url(track.pk)).json()
    clock.advance(100)
    second = alice_client.post(stream_url(track.pk)).json()
    clock.advance(21)
    third = alice_client.post(stream_url(track.pk)).json()

    assert second["play_id"] == first["play_id"]
    assert third["play_id"] != first["play_id"]


def test_window_of_zero_records_every_request(alice_client, track, clock, settings):
    settings.PLAY_DEDUP_WINDOW_SECONDS = 0

    first = alice_client.post(stream_url(track.pk)).json()
    second = alice_client.post(stream_url(track.pk)).json()

    assert second["play_id"] != first["play_id"]


def test_window_is_measured_from_the_start_not_the_last_request(alice_client, track, clock):
    first = alice_client.post(stream_url(track.pk)).json()
    clock.advance(20)
    alice_client.post(stream_url(track.pk))
    clock.advance(20)
    third = alice_client.post(stream_url(track.pk)).json()

    assert third["play_id"] != first["play_id"]


def test_another_track_within_the_window_is_a_new_play(alice_client, track, clock):
    other = factories.TrackFactory()

    first = alice_client.post(stream_url(track.pk)).json()
    second = alice_client.post(stream_url(other.pk)).json()
    again = alice_client.post(stream_url(track.pk)).json()

    assert second["play_id"] != first["play_id"]
    assert again["play_id"] == first["play_id"]


def test_another_user_on_the_same_track_gets_their_own_play(
    alice_client, bob, bob_client, track, clock
):
    alice_play = alice_client.post(stream_url(track.pk)).json()["play_id"]
    bob_play = bob_client.post(stream_url(track.pk)).json()["play_id"]

    assert bob_play != alice_play
    assert Play.objects.get(pk=bob_play).user == bob


def test_repeat_keeps_the_first_client(alice_client, track, clock):
    alice_client.post(stream_url(track.pk), {"client": "phone"})
    alice_client.post(stream_url(track.pk), {"client": "laptop"})

    assert Play.objects.get().client == "phone"
