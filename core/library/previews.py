"""Previews for anyone: a short-lived URL of a playable track's 30-second preview, with no
history entry (previews are not plays and never count)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from core.api.errors import NotFound
from core.catalog.models import Track
from media_pipeline.audio.preview import CONTENT_TYPE, LENGTH
from media_pipeline.storage import get_storage


@dataclass(frozen=True)
class PreviewGrant:
    url: str
    expires_at: datetime
    content_type: str
    start: float
    length: float


def previewable_tracks():
    """Tracks whose preview anyone may hear: playable, previews allowed, one cut."""
    return Track.objects.playable().filter(preview_allowed=True).exclude(media__preview_key="")


def track_preview(*, track_id: int) -> PreviewGrant:
    """A presigned URL of the track's preview; 404 when the track is not playable, its
    uploader turned previews off, or none has been cut yet."""
    found = (
        previewable_tracks()
        .filter(pk=track_id, media__isnull=False)
        .values("duration", "media__preview_key", "media__preview_offset")
        .first()
    )
    if found is None:
        raise NotFound("No preview for this track.")
    expires_in = settings.PREVIEW_URL_EXPIRY_SECONDS
    url = (
        get_storage()
        .presign_download(
            found["media__preview_key"], expires_in=expires_in, content_type=CONTENT_TYPE
        )
        .url
    )
    start = found["media__preview_offset"] or 0.0
    length = min(LENGTH, max(0.0, (found["duration"] or LENGTH) - start))
    return PreviewGrant(
        url=url,
        expires_at=timezone.now() + timedelta(seconds=expires_in),
        content_type=CONTENT_TYPE,
        start=start,
        length=round(length, 3),
    )
