"""Background jobs: thin wrappers around the processing run (core.processing.run)."""

from django_tasks import task

from core.processing import run as processing


@task()
def process_track(track_id: int, token: str) -> str:
    """Process one track for the run named by `token` (see ProcessingJob)."""
    return processing.track_process(track_id=track_id, token=token)
