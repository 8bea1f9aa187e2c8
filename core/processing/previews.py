"""Re-cutting a ready track's preview alone (`manage.py reprocess --only preview`, and after
its `preview_start` changes), without running the whole pipeline again."""

import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction

from core.catalog.models import Track, TrackStatus
from core.processing.models import TrackMedia
from core.processing.run import make_preview
from media_pipeline.audio import probe
from media_pipeline.storage import ObjectNotFound, StorageUnavailable, get_storage

logger = logging.getLogger(__name__)


def track_preview_remake(*, track_id: int) -> str:
    """Cut the preview of a ready, processed track again: made, skipped or failed."""
    track = Track.objects.select_related("media").filter(pk=track_id).first()
    media = getattr(track, "media", None) if track else None
    if track is None or track.status != TrackStatus.READY or media is None or not track.duration:
        return "skipped"
    storage = get_storage()
    with tempfile.TemporaryDirectory(
        prefix="tonearm-preview-", dir=settings.PIPELINE_WORK_DIR
    ) as tmp:
        workdir = Path(tmp)
        original = workdir / "original"
        try:
            with original.open("wb") as out:
                storage.download_to_file(track.storage_key, out)
            info = probe.probe(original)
        except (ObjectNotFound, StorageUnavailable, probe.NotAudio):
            logger.warning("Track %s: preview not remade", track_id, exc_info=True)
            return "failed"
        made = make_preview(
            track,
            info.source(original),
            duration=track.duration,
            peaks=media.waveform,
            workdir=workdir,
            storage=storage,
        )
    if made is None:
        return "failed"
    key, offset = made
    with transaction.atomic():
        # Lock the track as every writer of its media does (jobs.py); it may be gone by now.
        if not Track.objects.select_for_update().filter(pk=track_id).exists():
            transaction.on_commit(lambda: storage.delete(key), robust=True)
            return "skipped"
        TrackMedia.objects.filter(pk=track_id).update(preview_key=key, preview_offset=offset)
    return "made"
