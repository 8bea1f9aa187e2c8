"""Background jobs: thin wrappers around the processing run (core.processing.run)."""

from django_tasks import task

from core.processing import run as processing


@task()
def process_track(track_id: int, token: str) -> str:
    """Process one track for the run named by `token` (see ProcessingJob)."""
    return processing.track_process(track_id=track_id, token=token)


@task()
def remake_preview(track_id: int) -> str:
    """Cut a track's preview again (after its `preview_start` changed)."""
    from core.processing.previews import track_preview_remake

    return track_preview_remake(track_id=track_id)
