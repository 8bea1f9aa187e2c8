"""The Redis-backed backend for scale-out: enqueue through RQ, process in `manage.py rqworker`."""

import pytest
import redis

from core.catalog.models import TrackStatus
from core.processing.jobs import track_process_enqueue
from core.processing.models import JobState, ProcessingJob, TrackVariant
from tests.media_pipeline.audio_fixtures import stored_track
from tests.media_pipeline.worker_helpers import manage, worker_env

pytestmark = pytest.mark.django_db(transaction=True)


def test_rq_worker_processes_a_job_enqueued_through_redis(
    audio_samples, redis_url, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    track = stored_track(audio_samples["m4a"])

    track_process_enqueue(track_id=track.pk)
    assert redis.Redis.from_url(redis_url).llen("rq:queue:default") == 1

    log = tmp_path / "rqworker.log"
    env = worker_env(TASKS_BACKEND="rq", REDIS_URL=redis_url)
    worker = manage("rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default",
                    env=env, log=log)  # fmt: skip
    try:
        assert worker.wait(timeout=120) == 0, log.read_text()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    track.refresh_from_db()
    assert track.status == TrackStatus.READY, log.read_text()
    assert ProcessingJob.objects.get(pk=track.pk).state == JobState.DONE
    assert TrackVariant.objects.filter(track=track).count() == 2
