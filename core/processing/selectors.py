"""Reads of what processing made: stream qualities, artwork URLs, stored keys."""

from collections.abc import Iterable
from dataclasses import dataclass

from core.catalog.models import Track
from core.processing.models import TrackMedia, TrackVariant, VariantQuality
from media_pipeline.storage import get_storage

ORIGINAL = "original"
STREAM_QUALITIES = (ORIGINAL, *VariantQuality.values)


@dataclass(frozen=True)
class StreamSource:
    """The stored object to stream, and which quality it is."""

    quality: str
    key: str
    content_type: str
    size: int


def choose_source(
    quality: str, *, original: StreamSource, variant: StreamSource | None
) -> StreamSource:
    """The variant of `quality` when the track has one, else its original: the one rule, for
    the stream's SQL (core/library/stream.py) and the admin's player alike."""
    if quality != ORIGINAL and variant is not None:
        return variant
    return original


def stream_source(track: Track, quality: str = ORIGINAL) -> StreamSource:
    """The variant of `quality` when the track has one, else its original (never fails)."""
    variant = None
    if quality != ORIGINAL:
        variants = getattr(track, "_prefetched_objects_cache", {}).get("variants")
        if variants is None:
            variant = TrackVariant.objects.filter(track=track, quality=quality).first()
        else:
            variant = next((v for v in variants if v.quality == quality), None)
    return choose_source(
        quality,
        original=StreamSource(ORIGINAL, track.storage_key, track.content_type, track.size),
        variant=None
        if variant is None
        else StreamSource(variant.quality, variant.key, variant.content_type, variant.size),
    )


def artwork_urls(media: TrackMedia | None, *, expires_in: int) -> dict[str, str]:
    """Signed, expiring URLs of the track's cover thumbnails by pixel size ("64", "256", ...)."""
    return artwork_urls_of(media.artwork if media is not None else None, expires_in=expires_in)


def artwork_urls_of(artwork: dict[str, str] | None, *, expires_in: int) -> dict[str, str]:
    """`artwork_urls` from the media's `artwork` column itself ({size: key}), for reads that
    load no model (core/catalog/payloads.py)."""
    if not artwork:
        return {}
    storage = get_storage()
    return {
        size: storage.presign_download(key, expires_in=expires_in, content_type="image/jpeg").url
        for size, key in sorted(artwork.items(), key=lambda item: int(item[0]))
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
