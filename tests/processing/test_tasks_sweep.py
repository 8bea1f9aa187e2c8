from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.catalog.models import TrackStatus
from core.processing.jobs import processing_sweep_stale, track_process_enqueue
from core.processing.models import JobState, ProcessingJob
from core.processing.run import track_process
from tests.media_pipeline.audio_fixtures import stored_track

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_variants")]


def _job(track, *, state, minutes_ago: int, attempts: int = 1, **fields) -> ProcessingJob:
    job = track_process_enqueue(track_id=track.pk, send=False)
    moment = timezone.now() - timedelta(minutes=minutes_ago)
    ProcessingJob.objects.filter(pk=job.pk).update(
        state=state,
        attempts=attempts,
        enqueued_at=moment,
        started_at=moment if state == JobState.RUNNING else None,
        heartbeat_at=moment if state == JobState.RUNNING else None,
        **fields,
    )
    job.refresh_from_db()
    return job


def test_a_running_job_whose_heartbeat_stopped_is_sent_again(
    audio_samples, settings, django_capture_on_commit_callbacks
):
    settings.PIPELINE_STALE_AFTER_SECONDS = 600
    track = stored_track(audio_samples["mp3"])
    stale = _job(track, state=JobState.RUNNING, minutes_ago=11)

    with django_capture_on_commit_callbacks(execute=True):
        assert processing_sweep_stale() == [track.pk]

    job = ProcessingJob.objects.get(pk=track.pk)
    assert job.state == JobState.QUEUED
    assert job.token != stale.token
    assert job.attempts == 1
    assert DBTaskResult.objects.get().args_kwargs["args"] == [track.pk, str(job.token)]
    # The dead worker's run, were it delivered again, can no longer write.
    assert track_process(track_id=track.pk, token=str(stale.token)) == "skipped"
    # The new run processes the track.
    assert track_process(track_id=track.pk, token=str(job.token)) == "ready"


def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(audio_samples, settings):
    settings.PIPELINE_STALE_AFTER_SECONDS = 600
    track = stored_track(audio_samples["mp3"])
    _job(track, state=JobState.RUNNING, minutes_ago=9)
    assert processing_sweep_stale() == []


def test_a_queued_job_still_waiting_in_the_queue_is_left_alone(
    audio_samples, settings, django_capture_on_commit_callbacks
):
    settings.PIPELINE_STALE_AFTER_SECONDS = 600
    track = stored_track(audio_samples["mp3"])
    with django_capture_on_commit_callbacks(execute=True):
        track_process_enqueue(track_id=track.pk)
    ProcessingJob.objects.filter(pk=track.pk).update(
        enqueued_at=timezone.now() - timedelta(hours=2)
    )
    assert processing_sweep_stale() == []


def test_a_queued_job_whose_task_was_lost_is_sent_again(audio_samples, settings):
    settings.PIPELINE_STALE_AFTER_SECONDS = 600
    track = stored_track(audio_samples["mp3"])
    _job(track, state=JobState.QUEUED, minutes_ago=30, task_id="")
    assert processing_sweep_stale() == [track.pk]


def test_finished_jobs_are_never_swept(audio_samples):
    done = stored_track(audio_samples["mp3"])
    _job(done, state=JobState.DONE, minutes_ago=600)
    failed = stored_track(audio_samples["mp3"])
    _job(failed, state=JobState.FAILED, minutes_ago=600)
    assert processing_sweep_stale() == []


def test_a_track_that_keeps_killing_its_worker_ends_failed(audio_samples, settings):
    settings.PIPELINE_MAX_ATTEMPTS = 3
    track = stored_track(audio_samples["mp3"])
    job = _job(track, state=JobState.QUEUED, minutes_ago=0, attempts=3)

    assert track_process(track_id=track.pk, token=str(job.token)) == "skipped"

    track.refresh_from_db()
    assert track.status == TrackStatus.FAILED
    assert track.failure_reason == (
        "Processing stopped before finishing 3 times; a moderator can re-run it"
    )


def test_sweep_command_reports_what_it_sent(audio_samples, capsys):
    track = stored_track(audio_samples["mp3"])
    _job(track, state=JobState.RUNNING, minutes_ago=60 * 24)

    call_command("sweep_stale_jobs")

    assert f"Re-sent 1 stale job(s): {track.pk}" in capsys.readouterr().out
