"""POST /api/tracks/{id}/stream/: a presigned URL on a playable track and a history entry."""

from datetime import datetime, timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest

from core.library.models import Play
from media_pipeline.storage import StorageUnavailable, get_storage
from tests import factories
from tests.library.paths import stream_url

pytestmark = pytest.mark.django_db


def test_listener_gets_a_presigned_url_and_a_play_id(alice, alice_client, track):
    response = alice_client.post(stream_url(track.pk), HTTP_USER_AGENT="Tonearm Android/2.1")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "url",
        "expires_at",
        "content_type",
        "size",
        "duration",
        "play_id",
        "quality",
    }
    assert body["content_type"] == "audio/mpeg"
    assert body["size"] == track.size
    assert body["duration"] == 180.0
    assert body["quality"] == "original"
    play = Play.objects.get()
    assert body["play_id"] == play.pk
    assert (play.user, play.track, play.client) == (alice, track, "Tonearm Android/2.1")
    assert not play.counted and play.played_seconds == 0


def test_url_expires_after_the_configured_time(alice_client, track, settings):
    settings.STREAM_URL_EXPIRY_SECONDS = 120
    before = datetime.now().astimezone()

    body = alice_client.post(stream_url(track.pk)).json()

    expires_at = datetime.fromisoformat(body["expires_at"])
    assert before + timedelta(seconds=118) <= expires_at <= before + timedelta(seconds=122)


def test_url_serves_the_track_bytes_with_its_type_and_ranges(alice_client, client, track):
    data = bytes(range(256)) * 8
    get_storage().write(track.storage_key, iter([data]), content_type="application/octet-stream")

    body = alice_client.post(stream_url(track.pk)).json()
    path = urlsplit(body["url"]).path + "?" + urlsplit(body["url"]).query

    whole = client.get(path)
    assert whole.status_code == 200
    assert whole["Content-Type"] == "audio/mpeg"
    assert b"".join(whole.streaming_content) == data
    part = client.get(path, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == data[100:200]


def test_client_field_names_the_player_over_the_user_agent(alice_client, track):
    alice_client.post(
        stream_url(track.pk), {"client": "kitchen speaker"}, HTTP_USER_AGENT="curl/8.0"
    )

    assert Play.objects.get().client == "kitchen speaker"


def test_long_user_agent_is_truncated(alice_client, track):
    response = alice_client.post(stream_url(track.pk), HTTP_USER_AGENT="x" * 500)

    assert response.status_code == 200
    assert Play.objects.get().client == "x" * 200


def test_no_user_agent_and_no_client_leaves_client_empty(alice_client, track):
    alice_client.post(stream_url(track.pk))

    assert Play.objects.get().client == ""


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"client": "x" * 201}, "client"),
        ({"quality": "lossless-8k"}, "quality"),
        ({"quality": "high"}, "quality"),
        ({"quality": ""}, "quality"),
        ({"client": ["a", "b"]}, "client"),
    ],
)
def test_bad_stream_input_is_rejected(alice_client, track, payload, field):
    response = alice_client.post(stream_url(track.pk), payload)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]
    assert not Play.objects.exists()


@pytest.mark.parametrize("quality", ["original", "normal", "low"])
def test_a_track_without_variants_streams_its_original_whatever_the_quality(
    alice_client, track, quality
):
    response = alice_client.post(stream_url(track.pk), {"quality": quality})

    assert response.status_code == 200
    body = response.json()
    assert (body["quality"], body["content_type"], body["size"]) == (
        "original",
        "audio/mpeg",
        track.size,
    )


@pytest.fixture
def normal_variant(track):
    """The track's `normal` variant, stored."""
    variant = factories.TrackVariantFactory(track=track, quality="normal", size=2048)
    get_storage().write(variant.key, iter([b"\0" * 2048]), content_type="audio/mp4")
    return variant


def test_a_quality_with_a_variant_streams_that_variant(alice_client, client, track, normal_variant):
    response = alice_client.post(stream_url(track.pk), {"quality": "normal"})

    assert response.status_code == 200
    body = response.json()
    assert (body["quality"], body["content_type"], body["size"]) == ("normal", "audio/mp4", 2048)
    assert body["duration"] == 180.0
    url = urlsplit(body["url"])
    fetched = client.get(f"{url.path}?{url.query}")
    assert fetched["Content-Type"] == "audio/mp4"
    assert len(b"".join(fetched.streaming_content)) == 2048


def test_a_missing_quality_falls_back_to_the_original_even_when_another_exists(
    alice_client, track, normal_variant
):
    body = alice_client.post(stream_url(track.pk), {"quality": "low"}).json()

    assert (body["quality"], body["content_type"]) == ("original", "audio/mpeg")


def test_original_is_the_default_quality(alice_client, track, normal_variant):
    assert alice_client.post(stream_url(track.pk)).json()["quality"] == "original"


def test_anonymous_cannot_stream(api_client, track):
    response = api_client.post(stream_url(track.pk))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not Play.objects.exists()


@pytest.mark.parametrize("who", ["alice_client", "moderator_client", "staff_client"])
@pytest.mark.parametrize("which", ["hidden_track", "unready_track"])
def test_tracks_that_are_not_playable_cannot_be_streamed_by_anyone(request, who, which):
    track = request.getfixturevalue(which)

    response = request.getfixturevalue(who).post(stream_url(track.pk))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Play.objects.exists()


def test_uploader_cannot_stream_their_own_unfinished_track(uploader, uploader_client):
    track = factories.TrackFactory(uploaded_by=uploader, status="uploaded")

    assert uploader_client.post(stream_url(track.pk)).status_code == 404


def test_unknown_track_is_not_found(alice_client, db):
    response = alice_client.post(stream_url(999_999))

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Track not found."}


def test_storage_outage_gives_503_and_records_no_play(alice_client, track):
    with mock.patch.object(
        get_storage(), "presign_download", side_effect=StorageUnavailable("connect timeout")
    ):
        response = alice_client.post(stream_url(track.pk))

    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "service_unavailable"
    assert "timeout" not in body["detail"]
    assert not Play.objects.exists()


def test_stream_of_a_new_play_is_one_round_trip(alice_client, track, django_assert_num_queries):
    # The account, the track, the dedup read and the insert: one statement after the lock.
    with django_assert_num_queries(1):
        response = alice_client.post(stream_url(track.pk))
    assert response.status_code == 200
    assert Play.objects.get().pk == response.json()["play_id"]


def test_stream_of_a_variant_is_one_round_trip(
    alice_client, track, normal_variant, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = alice_client.post(stream_url(track.pk), {"quality": "normal"})
    assert response.json()["quality"] == "normal"


def test_repeated_stream_is_one_round_trip(alice_client, track, django_assert_num_queries):
    first = alice_client.post(stream_url(track.pk)).json()

    with django_assert_num_queries(1):
        response = alice_client.post(stream_url(track.pk))
    assert response.json()["play_id"] == first["play_id"]


def test_stream_without_dedup_window_takes_no_lock(
    alice_client, track, settings, django_assert_num_queries
):
    settings.PLAY_DEDUP_WINDOW_SECONDS = 0

    with django_assert_num_queries(2) as queries:
        first = alice_client.post(stream_url(track.pk)).json()
        second = alice_client.post(stream_url(track.pk)).json()

    assert first["play_id"] != second["play_id"]
    assert not any("advisory" in query["sql"] for query in queries.captured_queries)


def test_storage_backend_is_built_once_and_reused(alice_client, track):
    get_storage.cache_clear()

    for _ in range(3):
        alice_client.post(stream_url(track.pk))

    assert get_storage.cache_info().misses == 1
    assert get_storage.cache_info().hits >= 2


def test_stream_is_throttled_under_its_own_scope(alice_client, track, throttle_rates):
    throttle_rates(stream="2/min")

    codes = [alice_client.post(stream_url(track.pk)).status_code for _ in range(3)]

    assert codes == [200, 200, 429]
