"""Reads of what processing made: stream qualities, artwork URLs, stored keys."""

from collections.abc import Iterable
from dataclasses import dataclass

from core.catalog.models import Track
from core.processing.models import TrackMedia, TrackVariant, VariantQuality
from media_pipeline.audio.formats import extension
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
    """Storage keys the pipeline made for these tracks: variants, thumbnails and previews.

    Collect them before deleting the tracks (the rows go with the track by cascade)."""
    track_ids = list(track_ids)
    keys = list(TrackVariant.objects.filter(track_id__in=track_ids).values_list("key", flat=True))
    for artwork, preview in TrackMedia.objects.filter(track_id__in=track_ids).values_list(
        "artwork", "preview_key"
    ):
        keys.extend((artwork or {}).values())
        keys.extend([preview] if preview else [])
    return keys


def nearest_source(
    track: Track, *, max_bitrate: int | None = None, format: str | None = None
) -> StreamSource:
    """What to stream to a player that accepts at most `max_bitrate` bits per second (None or
    0: any) and asks for `format` (a file extension; "raw": the original whatever the rest).

    The original when it fits the bitrate (or its format was asked for and fits); else the
    variant of the highest bitrate within the limit, else the smallest variant; the original
    when the track has no variants."""
    original = StreamSource(ORIGINAL, track.storage_key, track.content_type, track.size)
    if format == "raw" or (not max_bitrate and format is None):
        return original
    variants = sorted(TrackVariant.objects.filter(track=track), key=lambda v: v.bitrate or 0)
    if not variants:
        return original
    media = TrackMedia.objects.filter(track=track).only("bitrate").first()
    original_bitrate = media.bitrate if media is not None else None
    fits = not max_bitrate or (original_bitrate is not None and original_bitrate <= max_bitrate)
    variant_formats = {extension(v.content_type) for v in variants}
    if "m4a" in variant_formats:
        variant_formats.add("aac")  # players ask for the codec as often as for the container
    if fits and (format is None or format not in variant_formats):
        return original
    within = [v for v in variants if not max_bitrate or (v.bitrate or 0) <= max_bitrate]
    chosen = within[-1] if within else variants[0]
    return StreamSource(chosen.quality, chosen.key, chosen.content_type, chosen.size)
