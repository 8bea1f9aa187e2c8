import pytest

from core.catalog.models import TrackStatus
from core.processing.models import TrackMedia
from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_variants")]


def test_wav_declared_as_mp3_is_accepted_and_its_type_corrected(audio_samples):
    """The bytes decide: a valid WAV declared audio/mpeg plays, served as audio/wav."""
    track = stored_track(audio_samples["liar"], content_type="audio/mpeg")

    assert process_now(track) == "ready"

    track.refresh_from_db()
    assert track.status == TrackStatus.READY
    assert track.content_type == "audio/wav"
    assert TrackMedia.objects.get(track=track).declared_content_type == "audio/mpeg"


def test_corrected_track_processes_again_without_failing(audio_samples):
    track = stored_track(audio_samples["liar"], content_type="audio/mpeg")
    process_now(track)
    assert process_now(track) == "ready"
    track.refresh_from_db()
    assert track.content_type == "audio/wav"


def test_declared_alias_of_the_real_type_is_normalised(audio_samples):
    track = stored_track(audio_samples["flac"], content_type="audio/x-flac")
    assert process_now(track) == "ready"
    track.refresh_from_db()
    assert track.content_type == "audio/flac"
