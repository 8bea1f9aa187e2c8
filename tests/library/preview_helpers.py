"""A track with a stored preview, without running the pipeline."""

import io

from core.processing.models import TrackMedia
from media_pipeline.storage import get_storage
from tests import factories

PREVIEW_BYTES = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64


def give_preview(track, *, offset: float = 12.0):
    key = f"derived/tracks/{track.pk}/preview.mp3"
    get_storage().upload_fileobj(key, io.BytesIO(PREVIEW_BYTES), content_type="audio/mpeg")
    TrackMedia.objects.update_or_create(
        track=track, defaults={"preview_key": key, "preview_offset": offset}
    )
    return track


def track_with_preview(**fields):
    return give_preview(factories.TrackFactory(**fields))
