import pytest

from core.catalog.models import TrackStatus
from core.processing.models import JobState, TrackVariant
from media_pipeline.audio import loudness, transcode
from media_pipeline.audio.probe import NOT_ACCEPTED
from media_pipeline.storage import get_storage
from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = pytest.mark.django_db


def _assert_failed(track, reason: str):
    track.refresh_from_db()
    assert track.status == TrackStatus.FAILED
    assert track.failure_reason.startswith(reason), track.failure_reason
    assert track.processing_job.state == JobState.FAILED
    assert not TrackVariant.objects.filter(track=track).exists()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("text", "Not an audio file: ffprobe did not recognise it as any audio format"),
        ("picture", NOT_ACCEPTED),
        ("truncated", "File is truncated or corrupt: only 1.9 s of the 5.0 s"),
    ],
)
def test_bad_file_fails_with_a_reason_and_is_kept_for_inspection(audio_samples, name, reason):
    track = stored_track(audio_samples[name])

    assert process_now(track) == "failed"

    _assert_failed(track, reason)
    assert get_storage().head(track.storage_key).size == track.size


def test_zero_byte_upload_fails_as_empty(audio_samples):
    track = stored_track(audio_samples["empty"])
    assert process_now(track) == "failed"
    _assert_failed(track, "Uploaded file is empty")


def test_missing_object_fails(audio_samples):
    track = stored_track(audio_samples["mp3"])
    get_storage().delete(track.storage_key)
    assert process_now(track) == "failed"
    _assert_failed(track, "Uploaded file is missing from storage")


def test_size_other_than_declared_fails(audio_samples):
    track = stored_track(audio_samples["mp3"], size=1234)
    assert process_now(track) == "failed"
    _assert_failed(track, "Stored file is")
    assert "but 1234 bytes were declared" in track.failure_reason


def test_checksum_other_than_declared_fails(audio_samples):
    track = stored_track(audio_samples["mp3"], checksum_sha256="ab" * 32)
    assert process_now(track) == "failed"
    _assert_failed(track, "Stored file does not match the declared SHA-256 checksum")


def test_declared_checksum_that_matches_passes(audio_samples):
    sample = audio_samples["mp3"]
    track = stored_track(sample, checksum_sha256=sample.sha256.upper())
    assert process_now(track) == "ready"


def test_stored_type_other_than_declared_fails(audio_samples):
    track = stored_track(audio_samples["flac"])
    track.content_type = "audio/mpeg"
    track.save()
    assert process_now(track) == "failed"
    _assert_failed(track, "Stored file has type audio/flac but audio/mpeg was declared")


TOOL_WORDS = "[mp3 @ 0x5581] /tmp/tonearm-track-k2j/original.mp3: Invalid data found"


def test_a_decoding_failure_shows_the_uploader_a_sentence_and_moderators_the_tool(
    audio_samples, monkeypatch
):
    def fails(*args, **kwargs):
        raise loudness.LoudnessError(TOOL_WORDS)

    monkeypatch.setattr(loudness, "measure", fails)
    track = stored_track(audio_samples["mp3"])

    assert process_now(track) == "failed"

    _assert_failed(track, "File is truncated or corrupt: ffmpeg could not decode it")
    assert track.failure_reason == "File is truncated or corrupt: ffmpeg could not decode it"
    assert TOOL_WORDS in track.processing_job.last_error


def test_a_conversion_failure_shows_the_uploader_a_sentence_and_moderators_the_tool(
    audio_samples, monkeypatch
):
    def fails(*args, **kwargs):
        raise transcode.TranscodeError(TOOL_WORDS)

    monkeypatch.setattr(transcode, "transcode", fails)
    track = stored_track(audio_samples["mp3"])

    assert process_now(track) == "failed"

    _assert_failed(track, "File could not be converted for streaming")
    assert track.failure_reason == "File could not be converted for streaming"
    assert TOOL_WORDS in track.processing_job.last_error
