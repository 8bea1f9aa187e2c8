import pytest
from django_tasks_db.models import DBTaskResult

from core.catalog.models import TrackStatus
from core.processing.jobs import track_process_enqueue
from core.processing.models import JobState, ProcessingJob
from tests.media_pipeline.audio_fixtures import stored_track

pytestmark = pytest.mark.django_db

IMMEDIATE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}


def test_enqueue_marks_the_track_processing_and_queues_a_durable_task(
    audio_samples, django_capture_on_commit_callbacks
):
    track = stored_track(audio_samples["mp3"], status=TrackStatus.UPLOADED)

    with django_capture_on_commit_callbacks(execute=True):
        job = track_process_enqueue(track_id=track.pk)

    track.refresh_from_db()
    assert track.status == TrackStatus.PROCESSING
    task = DBTaskResult.objects.get()
    assert task.task_path == "core.processing.tasks.process_track"
    assert task.args_kwargs["args"] == [track.pk, str(job.token)]
    job.refresh_from_db()
    assert job.task_id == str(task.id)
    assert job.state == JobState.QUEUED


def test_nothing_is_queued_when_the_transaction_rolls_back(audio_samples):
    track = stored_track(audio_samples["mp3"])
    track_process_enqueue(track_id=track.pk)  # on_commit never fires inside the test transaction
    assert not DBTaskResult.objects.exists()


def test_immediate_backend_processes_during_enqueue(
    audio_samples, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    track = stored_track(audio_samples["opus"])

    with django_capture_on_commit_callbacks(execute=True):
        track_process_enqueue(track_id=track.pk)

    track.refresh_from_db()
    assert track.status == TrackStatus.READY
    assert ProcessingJob.objects.get(pk=track.pk).state == JobState.DONE


def test_queue_down_at_enqueue_leaves_the_job_for_the_sweep(
    audio_samples, monkeypatch, django_capture_on_commit_callbacks
):
    from core.processing.tasks import process_track

    def refuse(*args, **kwargs):
        raise ConnectionError("queue unreachable")

    monkeypatch.setattr(type(process_track.get_backend()), "enqueue", refuse)
    track = stored_track(audio_samples["mp3"])

    with django_capture_on_commit_callbacks(execute=True):
        track_process_enqueue(track_id=track.pk)

    job = ProcessingJob.objects.get(pk=track.pk)
    assert job.state == JobState.QUEUED
    assert job.task_id == ""
