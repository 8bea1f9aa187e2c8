"""A streaming variant is never a larger copy of its source: low-bitrate uploads stream as is."""

import pytest

from core.catalog.models import TrackStatus
from core.processing.models import TrackVariant
from tests.conftest import client_for
from tests.media_pipeline.audio_fixtures import (
    AudioSample,
    ffprobe_stream,
    process_now,
    stored_track,
    tone,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mp3_32k(tmp_path) -> AudioSample:
    path = tmp_path / "lofi.mp3"
    tone(
        path,
        seconds=6,
        codec_args=["-ar", "22050", "-c:a", "libmp3lame", "-b:a", "32k"],
        metadata={"title": "Lo-fi"},
        channels=1,
    )
    assert int(ffprobe_stream(path)["bit_rate"]) == pytest.approx(32_000, rel=0.1)
    return AudioSample(path, "audio/mpeg", 6.0, "mp3")


def test_a_32_kbps_mp3_gets_no_variant_larger_than_itself(mp3_32k):
    track = stored_track(mp3_32k)

    assert process_now(track) == "ready"

    assert not TrackVariant.objects.filter(track=track).exists()


@pytest.mark.parametrize("quality", ["normal", "low"])
def test_a_32_kbps_mp3_streams_its_original_for_every_quality(mp3_32k, alice, quality):
    track = stored_track(mp3_32k)
    process_now(track)

    response = client_for(alice).post(f"/api/tracks/{track.pk}/stream/", {"quality": quality})

    assert response.status_code == 200
    assert response.json()["quality"] == "original"
    assert response.json()["size"] == mp3_32k.path.stat().st_size


def test_a_96_kbps_source_gets_the_64_kbps_variant_only(audio_samples):
    track = stored_track(audio_samples["opus"])  # Opus at 96 kbps

    assert process_now(track) == "ready"

    variants = list(TrackVariant.objects.filter(track=track))
    assert [v.quality for v in variants] == ["low"]
    assert variants[0].size < audio_samples["opus"].path.stat().st_size
    track.refresh_from_db()
    assert track.status == TrackStatus.READY


def test_reprocessing_removes_a_variant_that_was_larger_than_its_source(mp3_32k):
    from tests import factories

    track = stored_track(mp3_32k)
    factories.TrackVariantFactory(track=track, quality="normal", size=647_000)

    process_now(track)

    assert not TrackVariant.objects.filter(track=track).exists()
