"""End to end on moto's standalone S3 server: the stream URL serves the uploaded bytes."""

import hashlib
import os

import pytest
import requests

from core.library.models import Play
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

AUDIO = os.urandom(4096)


@pytest.fixture
def uploaded_track(s3_storage):
    """A ready track whose object went up through a presigned PUT, as a client sends it."""
    key = f"audio/e2e/{hashlib.sha256(AUDIO).hexdigest()[:16]}.mp3"
    put = s3_storage.presign_upload(
        key,
        content_type="audio/mpeg",
        size=len(AUDIO),
        sha256_hex=hashlib.sha256(AUDIO).hexdigest(),
        expires_in=60,
    )
    response = requests.put(put.url, data=AUDIO, headers=put.headers, timeout=10)
    assert response.status_code == 200, response.text
    return factories.TrackFactory(storage_key=key, size=len(AUDIO), content_type="audio/mpeg")


def test_stream_url_serves_the_uploaded_bytes(alice, alice_client, uploaded_track):
    grant = alice_client.post(f"/api/tracks/{uploaded_track.pk}/stream/").json()

    response = requests.get(grant["url"], timeout=10)

    assert response.status_code == 200
    assert response.content == AUDIO
    assert response.headers["Content-Type"] == "audio/mpeg"
    assert Play.objects.get(pk=grant["play_id"]).user == alice


def test_stream_url_answers_a_range_request_with_exactly_those_bytes(alice_client, uploaded_track):
    grant = alice_client.post(f"/api/tracks/{uploaded_track.pk}/stream/").json()

    response = requests.get(grant["url"], headers={"Range": "bytes=100-199"}, timeout=10)

    assert response.status_code == 206
    assert response.content == AUDIO[100:200]
    assert response.headers["Content-Range"] == f"bytes 100-199/{len(AUDIO)}"


def test_a_refreshed_url_still_streams_the_same_play(alice_client, uploaded_track):
    first = alice_client.post(f"/api/tracks/{uploaded_track.pk}/stream/").json()
    second = alice_client.post(f"/api/tracks/{uploaded_track.pk}/stream/").json()

    assert second["play_id"] == first["play_id"]
    response = requests.get(second["url"], headers={"Range": "bytes=4000-"}, timeout=10)
    assert response.status_code == 206
    assert response.content == AUDIO[4000:]
