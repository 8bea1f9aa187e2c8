import io

import pytest
from PIL import Image

from core.catalog.models import TrackStatus
from core.processing.models import JobState, TrackMedia, TrackVariant
from media_pipeline.storage import get_storage
from tests.media_pipeline.audio_fixtures import (
    LYRICS,
    SYNCED,
    ffprobe_stream,
    process_now,
    reference_loudness,
    stored_track,
)

pytestmark = pytest.mark.django_db
FORMATS = ["mp3", "flac", "opus", "m4a", "wav"]


def _download(key: str, path):
    with path.open("wb") as f:
        get_storage().download_to_file(key, f)
    return path


@pytest.mark.parametrize("name", FORMATS)
def test_upload_of_each_format_becomes_ready_with_facts_and_variants(audio_samples, tmp_path, name):
    sample = audio_samples[name]
    track = stored_track(sample)

    assert process_now(track) == "ready"

    track.refresh_from_db()
    assert track.status == TrackStatus.READY
    assert track.failure_reason == ""
    assert track.duration == pytest.approx(sample.duration, abs=0.1)
    assert track.checksum_sha256 == sample.sha256
    media = TrackMedia.objects.get(track=track)
    assert media.codec == sample.codec
    assert media.sample_rate == 48000
    assert len(media.waveform) == 1000
    assert all(0 <= peak <= 1 for peak in media.waveform)
    expected_lufs, _ = reference_loudness(sample.path)
    assert media.loudness_lufs == pytest.approx(expected_lufs, abs=1.0)
    assert media.replay_gain_db == pytest.approx(-18 - media.loudness_lufs, abs=0.01)
    assert track.processing_job.state == JobState.DONE

    variants = {v.quality: v for v in TrackVariant.objects.filter(track=track)}
    # The 96 kbps Opus sample is below the normal variant's 128 kbps: it streams as is.
    expected = {"normal": 128_000, "low": 64_000} if name != "opus" else {"low": 64_000}
    assert sorted(variants) == sorted(expected)
    for quality, target in expected.items():
        variant = variants[quality]
        probed = ffprobe_stream(_download(variant.key, tmp_path / f"{quality}.m4a"))
        assert probed["codec_name"] == "aac" == variant.codec
        assert int(probed["bit_rate"]) == pytest.approx(target, rel=0.1)
        assert get_storage().head(variant.key).size == variant.size
        assert variant.content_type == "audio/mp4"


@pytest.mark.usefixtures("no_variants")
@pytest.mark.parametrize("name", FORMATS)
def test_tags_fill_the_fields_the_uploader_left_empty(audio_samples, name):
    sample = audio_samples[name]
    track = stored_track(sample)

    process_now(track)

    track.refresh_from_db()
    assert track.title == sample.tags["title"]
    assert track.album.title == "Test Tones"
    assert track.album.year == 2019
    assert track.track_number == 3
    assert track.year == 2019
    assert [g.name for g in track.genres.all()] == ["Ambient"]
    assert track.media.lyrics == LYRICS
    assert track.media.lyrics_synced == (SYNCED if sample.has_synced_lyrics else [])


@pytest.mark.usefixtures("no_variants")
@pytest.mark.parametrize("name", ["mp3", "flac", "opus", "m4a"])
def test_embedded_cover_becomes_stored_thumbnails_and_album_artwork(audio_samples, name):
    track = stored_track(audio_samples[name])

    process_now(track)

    media = TrackMedia.objects.get(track=track)
    assert sorted(media.artwork, key=int) == ["64", "256", "640"]
    for size, key in media.artwork.items():
        buffer = io.BytesIO()
        get_storage().download_to_file(key, buffer)
        image = Image.open(io.BytesIO(buffer.getvalue()))
        assert image.format == "JPEG"
        assert image.size == (int(size), int(size))
        assert get_storage().head(key).content_type == "image/jpeg"
    track.refresh_from_db()
    with track.album.artwork.open("rb") as f:
        assert Image.open(f).size == (640, 640)


@pytest.mark.usefixtures("no_variants")
def test_a_file_without_cover_has_no_artwork(audio_samples):
    track = stored_track(audio_samples["wav"])
    process_now(track)
    assert TrackMedia.objects.get(track=track).artwork == {}
    track.refresh_from_db()
    assert not track.album.artwork


@pytest.mark.usefixtures("no_variants")
def test_tag_artist_replaces_the_unknown_artist_placeholder(audio_samples):
    from tests.factories import ArtistFactory

    track = stored_track(
        audio_samples["flac"],
        artist=ArtistFactory(name="Unknown artist"),
        placeholder_fields=["artist"],
    )
    process_now(track)
    track.refresh_from_db()
    assert track.artist.name == "The Sine Waves"
    assert track.album.artist == track.artist
