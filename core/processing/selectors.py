"""Reads of what processing made: stream qualities, artwork URLs, stored keys."""

from collections.abc import Iterable

from core.processing.models import TrackMedia, TrackVariant, VariantQuality
from media_pipeline.storage import get_storage

ORIGINAL = "original"
STREAM_QUALITIES = (ORIGINAL, *VariantQuality.values)


def artwork_urls(media: TrackMedia | None, *, expires_in: int) -> dict[str, str]:
    """Signed, expiring URLs of the track's cover thumbnails by pixel size ("64", "256", ...)."""
    if media is None or not media.artwork:
        return {}
    storage = get_storage()
    return {
        size: storage.presign_download(key, expires_in=expires_in, content_type="image/jpeg").url
        for size, key in sorted(media.artwork.items(), key=lambda item: int(item[0]))
    }


def derived_keys(track_ids: Iterable[int]) -> list[str]:
    """Storage keys the pipeline made for these tracks: variants and thumbnails.

    Collect them before deleting the tracks (the rows go with the track by cascade)."""
    track_ids = list(track_ids)
    keys = list(TrackVariant.objects.filter(track_id__in=track_ids).values_list("key", flat=True))
    for artwork in TrackMedia.objects.filter(track_id__in=track_ids).values_list(
        "artwork", flat=True
    ):
        keys.extend((artwork or {}).values())
    return keys
