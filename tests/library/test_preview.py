"""POST /api/tracks/{id}/preview/: a short-lived URL of a playable track's preview, for anyone,
recording nothing, throttled per client address; uploaders may turn previews off."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from core.library.models import Play
from tests import factories
from tests.library.preview_helpers import PREVIEW_BYTES, track_with_preview

pytestmark = pytest.mark.django_db


def preview_url(track_id: int) -> str:
    return f"/api/tracks/{track_id}/preview/"


def test_anyone_gets_a_working_preview_url_and_no_history_entry(api_client):
    track = track_with_preview()
    response = api_client.post(preview_url(track.pk))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["content_type"], body["start"], body["length"]) == ("audio/mpeg", 12.0, 30.0)
    audio = Client().get(urlsplit(body["url"]).path + "?" + urlsplit(body["url"]).query)
    assert audio.status_code == 200
    assert b"".join(audio.streaming_content) == PREVIEW_BYTES
    assert not Play.objects.exists()


def test_a_signed_in_listener_gets_one_too_without_a_history_entry(alice_client):
    track = track_with_preview()
    assert alice_client.post(preview_url(track.pk)).status_code == 200
    assert not Play.objects.exists()


def test_a_track_whose_uploader_turned_previews_off_has_none(api_client):
    track = track_with_preview(preview_allowed=False)
    response = api_client.post(preview_url(track.pk))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("fields", [{"is_hidden": True}, {"status": "processing"}])
def test_hidden_and_unfinished_tracks_have_no_preview(api_client, fields):
    track = track_with_preview(**fields)
    assert api_client.post(preview_url(track.pk)).status_code == 404


def test_a_track_processed_before_previews_existed_has_none_yet(api_client):
    track = factories.TrackFactory()
    assert api_client.post(preview_url(track.pk)).status_code == 404


def test_previews_are_throttled_per_client_address(api_client, throttle_rates):
    throttle_rates(preview="2/min")
    track = track_with_preview()
    codes = [api_client.post(preview_url(track.pk)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    other_address = api_client.post(preview_url(track.pk), REMOTE_ADDR="10.1.2.3")
    assert other_address.status_code == 200
