"""Imported files go where API uploads go: into S3 when it is the store, and to the workers."""

import io

import pytest
from django.core.management import call_command

from core.catalog.models import Track, TrackStatus
from core.processing.models import JobState, ProcessingJob
from tests.media_pipeline.worker_helpers import run_batch_worker, worker_env
from tests.uploads.import_helpers import sha256_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_imported_tracks_are_queued_and_a_worker_makes_them_ready(
    tmp_path, audio_samples, uploader
):
    library = tmp_path / "library"
    library.mkdir()
    (library / "tone.flac").write_bytes(audio_samples["flac"].path.read_bytes())

    call_command("import_audio", str(library), "--uploader", "uploader", stdout=io.StringIO())

    track = Track.objects.get()
    assert track.status == TrackStatus.PROCESSING
    assert ProcessingJob.objects.get(track=track).state == JobState.QUEUED
    log = tmp_path / "worker.log"
    run_batch_worker(worker_env(PIPELINE_VARIANTS=""), log)
    track.refresh_from_db()
    assert track.status == TrackStatus.READY, log.read_text()
    assert track.duration == pytest.approx(5.0, abs=0.1)


def test_files_are_stored_in_s3_whole_whatever_their_size(
    tmp_path, audio_samples, uploader, s3_storage, settings
):
    settings.UPLOAD_MULTIPART_THRESHOLD = 100_000  # the FLAC is over it, the Opus under it
    library = tmp_path / "library"
    library.mkdir()
    for name in ("flac", "opus"):
        (library / audio_samples[name].path.name).write_bytes(audio_samples[name].path.read_bytes())

    out = io.StringIO()
    call_command("import_audio", str(library), "--uploader", "uploader", stdout=out)

    assert "2 imported, 0 skipped, 0 failed" in out.getvalue()
    for track in Track.objects.all():
        source = library / f"tone.{'flac' if track.content_type == 'audio/flac' else 'opus'}"
        assert s3_storage.head(track.storage_key).size == source.stat().st_size
        assert track.checksum_sha256 == sha256_of(source)
    assert s3_storage.list_multipart_uploads("audio/") == []
