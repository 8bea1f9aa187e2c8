"""An upload that names other files on the worker's disk never becomes a track holding them.

Each crafted file goes the uploader's way: presigned, PUT, registered through the API, then
processed as a worker would.
"""

import pytest
from django.conf import settings

from core.catalog.models import Track, TrackStatus
from core.processing.models import TrackVariant
from core.processing.run import variant_key
from media_pipeline.audio.probe import NOT_ACCEPTED
from media_pipeline.audio.transcode import PROFILES
from media_pipeline.storage import get_storage
from tests.catalog.uploading import register, upload
from tests.media_pipeline.audio_fixtures import process_now
from tests.media_pipeline.crafted_files import (
    audio_with_subtitles_and_attachment,
    playlists,
    secret_audio,
)

pytestmark = pytest.mark.django_db

NAMES = [
    "hls_absolute",
    "hls_relative",
    "hls_repeating_one_file",
    "m3u_file_url",
    "ffconcat",
    "concat_script",
    "sdp",
]


@pytest.fixture
def secret(tmp_path, settings):
    settings.PIPELINE_WORK_DIR = str(tmp_path / "work")
    (tmp_path / "work").mkdir()
    return secret_audio(tmp_path)


def _upload_and_register(client, data: bytes, content_type: str = "audio/mpeg") -> Track:
    presigned = upload(client, data, content_type=content_type, filename="song.mp3")
    response = register(client, presigned["upload_id"])
    assert response.status_code == 201, response.json()
    return Track.objects.get(pk=response.json()["id"])


def _assert_refused_without_a_trace_of(track: Track, reason: str) -> None:
    assert process_now(track) == "failed"
    track.refresh_from_db()
    assert track.status == TrackStatus.FAILED
    assert track.failure_reason == reason
    assert not TrackVariant.objects.filter(track=track).exists()
    for quality in settings.PIPELINE_VARIANTS:
        key = variant_key(track.pk, quality, PROFILES[quality].extension)
        assert not get_storage().exists(key)


def _expected_reason(name: str) -> str:
    if name == "concat_script":  # no demuxer claims it without being told to
        return "Not an audio file: ffprobe did not recognise it as any audio format"
    return NOT_ACCEPTED


@pytest.mark.parametrize("name", NAMES)
def test_a_playlist_naming_a_file_on_the_worker_fails_and_no_variant_holds_it(
    uploader_client, secret, tmp_path, name
):
    crafted = playlists(secret, tmp_path / "work")[name]
    track = _upload_and_register(uploader_client, crafted)

    _assert_refused_without_a_trace_of(track, _expected_reason(name))


def test_audio_carrying_subtitles_and_an_attached_file_fails(uploader_client, secret, tmp_path):
    carrier = audio_with_subtitles_and_attachment(tmp_path, secret)
    track = _upload_and_register(uploader_client, carrier.read_bytes(), "audio/webm")

    _assert_refused_without_a_trace_of(
        track, "Not an audio file: it carries subtitles or attached files besides audio"
    )


def test_a_real_upload_still_becomes_ready(uploader_client, secret, audio_samples):
    track = _upload_and_register(uploader_client, audio_samples["mp3"].path.read_bytes())

    assert process_now(track) == "ready"
    assert TrackVariant.objects.filter(track=track).count() == len(settings.PIPELINE_VARIANTS)
