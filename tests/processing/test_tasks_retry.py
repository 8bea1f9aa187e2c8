from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.catalog.models import TrackStatus
from core.processing.models import JobState, ProcessingJob
from core.processing.run import track_process
from media_pipeline.storage import StorageUnavailable
from media_pipeline.storage.local import LocalStorage
from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_variants")]


@pytest.fixture
def flaky_storage(monkeypatch):
    """Storage that is unreachable for the next `failures[0]` downloads."""
    failures = [0]
    real = LocalStorage.download_to_file

    def download_to_file(self, key, fileobj):
        if failures[0] > 0:
            failures[0] -= 1
            raise StorageUnavailable("connection refused")
        return real(self, key, fileobj)

    monkeypatch.setattr(LocalStorage, "download_to_file", download_to_file)
    return failures


def test_unreachable_storage_is_retried_later_with_growing_backoff(
    audio_samples, settings, flaky_storage, django_capture_on_commit_callbacks
):
    settings.PIPELINE_RETRY_BACKOFF_SECONDS = 30
    flaky_storage[0] = 2
    track = stored_track(audio_samples["mp3"])

    with django_capture_on_commit_callbacks(execute=True):
        assert process_now(track) == "retrying"
    job = ProcessingJob.objects.get(pk=track.pk)
    first = DBTaskResult.objects.get(id=job.task_id)
    assert job.state == JobState.QUEUED
    assert job.attempts == 1
    assert "Storage unavailable" in job.last_error
    assert first.run_after - timezone.now() == pytest.approx(
        timedelta(seconds=30), abs=timedelta(seconds=5)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert track_process(track_id=track.pk, token=str(job.token)) == "retrying"
    job.refresh_from_db()
    second = DBTaskResult.objects.get(id=job.task_id)
    assert second.run_after - timezone.now() == pytest.approx(
        timedelta(seconds=60), abs=timedelta(seconds=5)
    )

    assert track_process(track_id=track.pk, token=str(job.token)) == "ready"
    track.refresh_from_db()
    assert track.status == TrackStatus.READY
    job.refresh_from_db()
    assert job.attempts == 3


def test_storage_down_for_every_attempt_fails_the_track_with_a_reason(
    audio_samples, settings, flaky_storage
):
    settings.PIPELINE_MAX_ATTEMPTS = 3
    flaky_storage[0] = 99
    track = stored_track(audio_samples["mp3"])
    job_token = None

    outcomes = []
    for _ in range(3):
        if job_token is None:
            outcomes.append(process_now(track))
            job_token = str(ProcessingJob.objects.get(pk=track.pk).token)
        else:
            outcomes.append(track_process(track_id=track.pk, token=job_token))

    assert outcomes == ["retrying", "retrying", "failed"]
    track.refresh_from_db()
    assert track.status == TrackStatus.FAILED
    assert track.failure_reason == (
        "Storage could not be reached after 3 attempts; a moderator can re-run processing"
    )


def test_immediate_backend_retries_at_once(
    audio_samples, settings, flaky_storage, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    flaky_storage[0] = 1
    track = stored_track(audio_samples["mp3"])

    with django_capture_on_commit_callbacks(execute=True):
        assert process_now(track) == "retrying"

    track.refresh_from_db()
    assert track.status == TrackStatus.READY
    assert ProcessingJob.objects.get(pk=track.pk).attempts == 2


def test_an_unexpected_error_fails_the_track_without_leaking_details(audio_samples, monkeypatch):
    from media_pipeline.audio import waveform

    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(waveform, "compute", explode)
    track = stored_track(audio_samples["mp3"])

    assert process_now(track) == "failed"

    track.refresh_from_db()
    assert track.failure_reason == "Processing failed unexpectedly; a moderator can re-run it"
    assert "secret internal detail" in ProcessingJob.objects.get(pk=track.pk).last_error
