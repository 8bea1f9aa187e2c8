"""The pipeline on the S3 backend (moto's standalone server): streamed download, uploads back."""

import pytest

from core.catalog.models import TrackStatus
from core.processing.jobs import track_process_enqueue
from core.processing.models import TrackMedia, TrackVariant
from tests.media_pipeline.audio_fixtures import ffprobe_stream, process_now, stored_track
from tests.media_pipeline.worker_helpers import run_batch_worker, s3_worker_env


@pytest.mark.django_db
def test_track_on_s3_becomes_ready_with_variants_and_thumbnails_stored_there(
    audio_samples, s3_storage, tmp_path
):
    sample = audio_samples["flac"]
    track = stored_track(sample, checksum_sha256=sample.sha256)

    assert process_now(track) == "ready"

    track.refresh_from_db()
    assert track.duration == pytest.approx(5.0, abs=0.1)
    normal = TrackVariant.objects.get(track=track, quality="normal")
    assert s3_storage.head(normal.key).size == normal.size
    with (tmp_path / "normal.m4a").open("wb") as f:
        s3_storage.download_to_file(normal.key, f)
    assert ffprobe_stream(tmp_path / "normal.m4a")["codec_name"] == "aac"
    for key in TrackMedia.objects.get(track=track).artwork.values():
        assert s3_storage.head(key).content_type == "image/jpeg"


@pytest.mark.django_db
def test_s3_object_other_than_its_declared_checksum_fails(audio_samples, s3_storage):
    track = stored_track(audio_samples["mp3"], checksum_sha256="0" * 64)
    assert process_now(track) == "failed"
    track.refresh_from_db()
    assert track.failure_reason == "Stored file does not match the declared SHA-256 checksum"
    assert s3_storage.head(track.storage_key).size == track.size


@pytest.mark.django_db(transaction=True)
def test_worker_process_processes_a_track_stored_on_s3(audio_samples, s3_storage, tmp_path):
    track = stored_track(audio_samples["opus"])
    track_process_enqueue(track_id=track.pk)

    run_batch_worker(s3_worker_env(), tmp_path / "worker.log")

    track.refresh_from_db()
    assert track.status == TrackStatus.READY, (tmp_path / "worker.log").read_text()
    for variant in TrackVariant.objects.filter(track=track):
        assert s3_storage.head(variant.key).content_type == "audio/mp4"
