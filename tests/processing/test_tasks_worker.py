"""Real worker processes (manage.py db_worker) against the test PostgreSQL database."""

import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from core.catalog.models import TrackStatus
from core.processing.jobs import processing_sweep_stale, track_process_enqueue
from core.processing.models import JobState, ProcessingJob, TrackVariant
from tests.media_pipeline.audio_fixtures import stored_track
from tests.media_pipeline.worker_helpers import manage, run_batch_worker, wait_for, worker_env

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_process_picks_up_an_enqueued_job_and_makes_the_track_ready(audio_samples, tmp_path):
    track = stored_track(audio_samples["flac"])
    track_process_enqueue(track_id=track.pk)
    job = ProcessingJob.objects.get(pk=track.pk)
    assert job.task_id

    run_batch_worker(worker_env(), tmp_path / "worker.log")

    track.refresh_from_db()
    assert track.status == TrackStatus.READY, (tmp_path / "worker.log").read_text()
    assert track.title == "Tone in FLAC"
    assert TrackVariant.objects.filter(track=track).count() == 2
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.attempts == 1


def test_worker_killed_mid_job_loses_nothing_once_the_sweep_runs(long_flac, tmp_path, settings):
    track = stored_track(long_flac)
    track_process_enqueue(track_id=track.pk)
    env = worker_env(PIPELINE_WORK_DIR=str(tmp_path))
    log = tmp_path / "worker.log"
    worker = manage("db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1",
                    env=env, log=log)  # fmt: skip
    try:
        wait_for(
            lambda: ProcessingJob.objects.get(pk=track.pk).state == JobState.RUNNING,
            timeout=60,
            what="the worker to start the job",
        )
        time.sleep(0.5)
        assert worker.poll() is None
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    track.refresh_from_db()
    job = ProcessingJob.objects.get(pk=track.pk)
    assert track.status == TrackStatus.PROCESSING
    assert job.state == JobState.RUNNING, log.read_text()
    assert not TrackVariant.objects.filter(track=track).exists()

    # Nothing is swept while the heartbeat could still be fresh ...
    assert processing_sweep_stale() == []
    # ... and once it is stale, the run is sent again and a worker finishes it.
    later = timezone.now() + timedelta(seconds=settings.PIPELINE_STALE_AFTER_SECONDS + 1)
    assert processing_sweep_stale(now=later) == [track.pk]
    run_batch_worker(env, log)

    track.refresh_from_db()
    job.refresh_from_db()
    assert track.status == TrackStatus.READY, log.read_text()
    assert track.duration == pytest.approx(120.0, abs=0.1)
    assert job.state == JobState.DONE
    assert job.attempts == 2
    assert TrackVariant.objects.filter(track=track).count() == 2
