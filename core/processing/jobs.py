"""A track's processing job: queueing a run, claiming it, its heartbeat, and the sweep that
re-sends runs whose worker died.

`ProcessingJob.token` names the run allowed to write; every writer locks the track, then its
job, in that order (registration, re-runs, deletes and runs alike), so none can deadlock.
"""

import logging
import threading
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.catalog.models import Track, TrackStatus
from core.processing.models import JobState, ProcessingJob, TrackMedia

logger = logging.getLogger(__name__)


# --- Enqueueing --------------------------------------------------------------------------


def _send(track_id: int, token: uuid.UUID, *, run_after: datetime | None = None) -> None:
    """Hand the run to the task backend; a backend that cannot defer runs it at once."""
    from core.processing.tasks import process_track

    task = process_track
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    result = task.enqueue(track_id, str(token))
    ProcessingJob.objects.filter(pk=track_id, token=token).update(task_id=str(result.id)[:64])


def _queue(
    job: ProcessingJob, *, run_after: datetime | None = None, new_run: bool, send: bool = True
) -> None:
    """Mark `job` queued and send it once the surrounding transaction commits."""
    job.state = JobState.QUEUED
    job.enqueued_at = timezone.now()
    job.started_at = job.heartbeat_at = job.finished_at = None
    if new_run:
        job.token = uuid.uuid4()
    job.save()
    if not send:
        return
    track_id, token = job.track_id, job.token
    # robust: if the queue is down the job stays `queued`, and the stale sweep sends it later.
    transaction.on_commit(lambda: _send(track_id, token, run_after=run_after), robust=True)


@transaction.atomic
def track_process_enqueue(*, track_id: int, send: bool = True) -> ProcessingJob:
    """Queue (re)processing of a track. A ready track stays playable until the new run ends.

    With `send` false the run is prepared but not handed to the task backend: the caller runs
    `track_process` itself (manage.py reprocess --sync)."""
    # Lock the track so a concurrent enqueue or run finish sees one consistent job row.
    track = Track.objects.select_for_update().get(pk=track_id)
    if track.status != TrackStatus.READY:
        track.status = TrackStatus.PROCESSING
        track.failure_reason = ""
        track.save(update_fields=["status", "failure_reason", "updated_at"])
    job = ProcessingJob.objects.select_for_update().filter(track=track).first() or ProcessingJob(
        track=track
    )
    job.attempts = 0
    job.last_error = ""
    _queue(job, new_run=True, send=send)
    return job


# --- Claiming, heartbeat, sweeping -------------------------------------------------------


def _stale_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.PIPELINE_STALE_AFTER_SECONDS)


@transaction.atomic
def job_claim(track_id: int, token: str) -> ProcessingJob | None:
    """Take the run for this worker, or None when it is not (or no longer) ours to do."""
    if not _lock_track(track_id):
        return None
    # Row lock: two deliveries of the same run must not both start it.
    job = ProcessingJob.objects.select_for_update().filter(pk=track_id).first()
    if job is None or str(job.token) != token or job.state in (JobState.DONE, JobState.FAILED):
        return None
    now = timezone.now()
    if job.state == JobState.RUNNING and job.heartbeat_at and job.heartbeat_at > _stale_cutoff(now):
        return None
    if job.attempts >= settings.PIPELINE_MAX_ATTEMPTS:
        reason = (
            f"Processing stopped before finishing {job.attempts} times; a moderator can re-run it"
        )
        _mark_failed(job, reason=reason, error=job.last_error or reason)
        return None
    job.state = JobState.RUNNING
    job.attempts += 1
    job.started_at = job.heartbeat_at = now
    job.finished_at = None
    job.save()
    TrackMedia.objects.get_or_create(
        track_id=track_id,
        defaults={"declared_content_type": Track.objects.get(pk=track_id).content_type},
    )
    return job


class Heartbeat:
    """Refreshes the job's heartbeat from a side thread while the run works."""

    def __init__(self, job: ProcessingJob):
        self.job_id, self.token = job.pk, job.token
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name="job-heartbeat")

    def _beat(self) -> None:
        try:
            while not self.stop.wait(settings.PIPELINE_HEARTBEAT_SECONDS):
                try:
                    ProcessingJob.objects.filter(
                        pk=self.job_id, token=self.token, state=JobState.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("Heartbeat of job %s failed", self.job_id, exc_info=True)
        finally:
            connection.close()

    def __enter__(self) -> "Heartbeat":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def processing_sweep_stale(*, now: datetime | None = None) -> list[int]:
    """Re-send runs whose worker died (stale heartbeat) or whose task was lost; their ids."""
    from core.processing.tasks import process_track

    now = now or timezone.now()
    cutoff = _stale_cutoff(now)
    backend = process_track.get_backend()
    swept = []
    candidates = ProcessingJob.objects.filter(
        Q(state=JobState.RUNNING, heartbeat_at__lt=cutoff)
        | Q(state=JobState.RUNNING, heartbeat_at__isnull=True, enqueued_at__lt=cutoff)
        | Q(state=JobState.QUEUED, enqueued_at__lt=cutoff)
    ).values_list("pk", flat=True)
    for track_id in candidates:
        with transaction.atomic():
            # Lock: a worker may be claiming or finishing this very job.
            job = ProcessingJob.objects.select_for_update().filter(pk=track_id).first()
            if job is None or not _is_stale(job, cutoff, backend, process_track):
                continue
            logger.warning("Re-sending stale processing job of track %s (%s)", job.pk, job.state)
            job.last_error = f"Re-sent by the sweep: the run was {job.state} with no sign of life"
            _queue(job, new_run=True)
            swept.append(job.pk)
    return swept


def _is_stale(job: ProcessingJob, cutoff: datetime, backend, task) -> bool:
    if job.state == JobState.RUNNING:
        return (job.heartbeat_at or job.started_at or job.enqueued_at) < cutoff
    if job.enqueued_at >= cutoff:
        return False
    if not job.task_id or not backend.supports_get_result:
        return True
    try:
        result = task.get_result(job.task_id)
    except Exception:  # a result the backend cannot find (or read) is a lost task
        return True
    return result.is_finished


def job_retry_or_fail(job: ProcessingJob, exc: Exception) -> str:
    with transaction.atomic():
        current = job_locked_if_current(job)
        if current is None:
            return "skipped"
        current.last_error = f"Storage unavailable: {exc}"
        if current.attempts < settings.PIPELINE_MAX_ATTEMPTS:
            delay = settings.PIPELINE_RETRY_BACKOFF_SECONDS * 2 ** (current.attempts - 1)
            logger.warning("Storage unavailable for track %s; retry in %s s", job.pk, delay)
            _queue(current, run_after=timezone.now() + timedelta(seconds=delay), new_run=False)
            return "retrying"
        reason = (
            f"Storage could not be reached after {current.attempts} attempts; "
            "a moderator can re-run processing"
        )
        _mark_failed(current, reason=reason, error=current.last_error)
        return "failed"


def _lock_track(track_id: int) -> bool:
    """Lock the track's row; False when it is gone. Runs lock the track before its job, in the
    order registration, re-runs and deletes take them, so none of these can deadlock."""
    locked = Track.objects.select_for_update().filter(pk=track_id).values_list("pk", flat=True)
    return bool(list(locked))


def job_locked_if_current(job: ProcessingJob) -> ProcessingJob | None:
    """The job row, locked, if this run still owns it (no newer run replaced its token)."""
    if not _lock_track(job.pk):
        return None
    current = ProcessingJob.objects.select_for_update().filter(pk=job.pk).first()
    if current is None or current.token != job.token or current.state != JobState.RUNNING:
        return None
    return current


def _mark_failed(job: ProcessingJob, *, reason: str, error: str) -> None:
    track = Track.objects.select_for_update().get(pk=job.pk)
    track.status = TrackStatus.FAILED
    track.failure_reason = reason
    track.save(update_fields=["status", "failure_reason", "updated_at"])
    job.state = JobState.FAILED
    job.last_error = error
    job.finished_at = timezone.now()
    job.save()


@transaction.atomic
def job_finish_failed(job: ProcessingJob, *, reason: str, error: str) -> bool:
    current = job_locked_if_current(job)
    if current is None:
        return False
    _mark_failed(current, reason=reason, error=error)
    return True
