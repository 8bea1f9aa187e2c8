"""What processing found, in track payloads: artwork, loudness and qualities in every payload;
waveform, lyrics and audio properties in a track's own; album artwork."""

import io
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from core.processing.models import TrackMedia
from tests import factories
from tests.media_pipeline.audio_fixtures import LYRICS, SYNCED, process_now, stored_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed(audio_samples):
    """A ready track made from the tagged MP3 sample (cover, lyrics, both variants)."""
    track = stored_track(audio_samples["mp3"])
    assert process_now(track) == "ready"
    track.refresh_from_db()
    return track


def _fetch(client, url: str):
    """GET a URL signed by the local store through the test client."""
    parts = urlsplit(url)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_list_payload_has_artwork_urls_loudness_and_qualities(alice_client, client, processed):
    [item] = alice_client.get(reverse("track-list")).json()["results"]

    assert item["qualities"] == ["original", "normal", "low"]
    assert set(item["loudness"]) == {"lufs", "true_peak_db", "replay_gain_db"}
    assert item["loudness"]["replay_gain_db"] == pytest.approx(-18 - item["loudness"]["lufs"])
    assert list(item["artwork"]) == ["64", "256", "640"]
    for size, url in item["artwork"].items():
        image = Image.open(io.BytesIO(_fetch(client, url)))
        assert (image.format, image.size) == ("JPEG", (int(size), int(size)))
    assert "waveform" not in item and "lyrics" not in item and "audio" not in item


def test_detail_payload_adds_waveform_lyrics_and_audio_properties(alice_client, processed):
    track = alice_client.get(reverse("track-detail", args=[processed.pk])).json()

    assert len(track["waveform"]) == 1000
    assert all(0 <= peak <= 1 for peak in track["waveform"])
    assert track["lyrics"] == LYRICS
    assert track["lyrics_synced"] == SYNCED
    assert track["audio"] == {
        "codec": "mp3",
        "container": "mp3",
        "bitrate": pytest.approx(192_000, rel=0.1),
        "sample_rate": 48000,
        "channels": 2,
    }
    assert track["qualities"] == ["original", "normal", "low"]


def test_a_track_not_yet_processed_has_empty_media_fields(uploader_client, uploader):
    track = factories.TrackFactory(status="processing", uploaded_by=uploader)

    body = uploader_client.get(reverse("track-detail", args=[track.pk])).json()

    assert (body["artwork"], body["loudness"], body["audio"]) == (None, None, None)
    assert (body["waveform"], body["lyrics"], body["lyrics_synced"]) == ([], "", [])
    assert body["qualities"] == ["original"]


def test_track_lists_leave_the_waveform_and_lyrics_in_the_database(alice_client, processed):
    with CaptureQueriesContext(connection) as queries:
        alice_client.get(reverse("track-list"))
    with CaptureQueriesContext(connection) as detail_queries:
        alice_client.get(reverse("track-detail", args=[processed.pk]))

    listing = " ".join(query["sql"] for query in queries.captured_queries)
    assert "loudness_lufs" in listing
    assert "waveform" not in listing and "lyrics" not in listing
    assert "waveform" in " ".join(query["sql"] for query in detail_queries.captured_queries)


def test_album_payload_has_the_cover_taken_from_its_tracks(api_client, processed):
    album = api_client.get(reverse("album-detail", args=[processed.album_id])).json()

    assert album["title"] == "Test Tones"
    cover = processed.album.artwork
    assert album["artwork"] == f"http://testserver{cover.url}"
    with cover.open("rb") as f:
        assert Image.open(f).size == (640, 640)


def test_an_album_without_cover_has_no_artwork(api_client):
    album = factories.AlbumFactory()

    assert api_client.get(reverse("album-detail", args=[album.pk])).json()["artwork"] is None


def test_payload_media_fields_cost_no_query_per_track(alice_client, processed):
    """A page of processed tracks costs what a page of bare ones does."""
    for _ in range(3):
        other = factories.TrackFactory()
        TrackMedia.objects.create(
            track=other,
            codec="flac",
            loudness_lufs=-14.0,
            true_peak_db=-1.0,
            replay_gain_db=-4.0,
            waveform=[0.5] * 1000,
            artwork={"64": f"derived/tracks/{other.pk}/cover-64.jpg"},
        )
        factories.TrackVariantFactory(track=other, quality="low")

    alice_client.get(reverse("track-list"), {"page_size": 2})  # whatever is remembered per user
    with CaptureQueriesContext(connection) as one:
        alice_client.get(reverse("track-list"), {"page_size": 1})
    with CaptureQueriesContext(connection) as all_four:
        body = alice_client.get(reverse("track-list"), {"page_size": 4}).json()

    assert len(all_four) == len(one)
    assert [item["qualities"] for item in body["results"][:3]] == [["original", "low"]] * 3
