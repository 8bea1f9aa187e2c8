"""Saving what a run learnt: the track's media facts, its variants, and its tags through the
catalog's services, in one transaction with the job's end."""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from core.catalog.models import Track, TrackStatus
from core.catalog.services import album_set_artwork_if_missing, track_apply_tags
from core.catalog.signals import track_ready
from core.lyrics.services import lyrics_from_tags
from core.processing.jobs import job_locked_if_current
from core.processing.models import JobState, ProcessingJob, TrackMedia, TrackVariant
from media_pipeline.audio import loudness, probe, tags, transcode
from media_pipeline.storage import get_storage

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """Everything a successful run learnt, ready to be saved in one transaction."""

    info: probe.AudioInfo
    duration: float
    sha256: str
    tags: tags.Tags
    loudness: loudness.Loudness
    peaks: list[float]
    variants: list[tuple[transcode.Variant, str]] = field(default_factory=list)
    artwork_keys: dict[str, str] = field(default_factory=dict)
    album_cover: bytes | None = None
    preview_key: str = ""
    preview_offset: float | None = None


@transaction.atomic
def job_finish_ready(job: ProcessingJob, outcome: Outcome) -> bool:
    current = job_locked_if_current(job)
    if current is None:
        return False
    # Lock the track: the uploader may be editing it; only fields still empty get tag values.
    track = Track.objects.select_for_update().get(pk=job.pk)
    track_apply_tags(track=track, found=outcome.tags)
    track.duration = outcome.duration
    if outcome.info.content_type:
        track.content_type = outcome.info.content_type
    track.checksum_sha256 = track.checksum_sha256 or outcome.sha256
    track.status = TrackStatus.READY
    track.failure_reason = ""
    track.save()
    _save_media(track, outcome)
    lyrics_from_tags(
        track=track,
        plain=outcome.tags.lyrics,
        synced=[(line.time, line.text) for line in outcome.tags.lyrics_synced],
    )
    _save_variants(track, outcome)
    if outcome.album_cover and track.album_id:
        album_set_artwork_if_missing(album_id=track.album_id, jpeg=outcome.album_cover)
    track_ready.send(sender=Track, track_id=track.pk)
    current.state = JobState.DONE
    current.finished_at = timezone.now()
    current.last_error = ""
    current.save()
    return True


def _save_media(track: Track, outcome: Outcome) -> None:
    media, _ = TrackMedia.objects.get_or_create(
        track=track, defaults={"declared_content_type": track.content_type}
    )
    info, found = outcome.info, outcome.tags
    media.container = info.container[:100]
    media.codec = info.codec[:50]
    media.bitrate = info.bitrate
    media.sample_rate = info.sample_rate
    media.channels = info.channels
    media.loudness_lufs = outcome.loudness.integrated_lufs
    media.true_peak_db = outcome.loudness.true_peak_db
    media.replay_gain_db = outcome.loudness.replay_gain_db
    media.waveform = outcome.peaks
    media.lyrics = media.lyrics or found.lyrics
    media.lyrics_synced = media.lyrics_synced or [
        {"time": line.time, "text": line.text} for line in found.lyrics_synced
    ]
    media.artwork = outcome.artwork_keys
    if outcome.preview_key:  # a re-run that could not cut one keeps the stored preview
        media.preview_key = outcome.preview_key
        media.preview_offset = outcome.preview_offset
    media.processed_at = timezone.now()
    media.save()


def _save_variants(track: Track, outcome: Outcome) -> None:
    kept = []
    for variant, key in outcome.variants:
        TrackVariant.objects.update_or_create(
            track=track,
            quality=variant.quality,
            defaults={
                "key": key,
                "codec": variant.codec,
                "content_type": variant.content_type,
                "bitrate": variant.bitrate,
                "size": variant.size,
            },
        )
        kept.append(variant.quality)
    dropped = TrackVariant.objects.filter(track=track).exclude(quality__in=kept)
    keys = list(dropped.values_list("key", flat=True))
    dropped.delete()
    if keys:
        transaction.on_commit(lambda: [get_storage().delete(key) for key in keys], robust=True)
