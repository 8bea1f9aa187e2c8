"""Writes of the library: stream grants with play history, listening progress, favorites."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.api.errors import InvalidInput, NotFound, ServiceUnavailable
from core.catalog.models import Track
from core.library.models import Favorite, Play
from media_pipeline.selectors import ORIGINAL, stream_source
from media_pipeline.storage import StorageUnavailable, get_storage

# A listen counts once half the track, or 4 minutes of it, has played; shorter tracks never count.
COUNTED_MIN_DURATION_SECONDS = 30.0
COUNTED_MAX_THRESHOLD_SECONDS = 240.0
# Players report positions from their own clock; allow this much past the end of the track.
PROGRESS_TOLERANCE_SECONDS = 1.0
_CLIENT_MAX_LENGTH = Play._meta.get_field("client").max_length


@dataclass(frozen=True)
class StreamGrant:
    url: str
    expires_at: datetime
    content_type: str
    size: int
    duration: float | None
    play_id: int
    quality: str


def is_counted_listen(*, duration: float | None, played_seconds: float) -> bool:
    """The rule Last.fm, Navidrome and Funkwhale share; unknown durations never count."""
    if duration is None or duration < COUNTED_MIN_DURATION_SECONDS:
        return False
    return played_seconds >= min(duration / 2, COUNTED_MAX_THRESHOLD_SECONDS)


def _playable_track(track_id: int, *fields: str) -> Track:
    track = Track.objects.playable().only("pk", *fields).filter(pk=track_id).first()
    if track is None:
        raise NotFound("Track not found.")
    return track


def track_stream(*, user, track_id: int, client: str, quality: str = ORIGINAL) -> StreamGrant:
    """A presigned GET on a playable track's audio, and the history entry it opens.

    `quality` picks a streaming variant; a track without that variant streams its original,
    and the grant says which one it gives. The URL is signed before anything is written, so a
    storage outage leaves no entry behind.
    """
    track = _playable_track(track_id, "storage_key", "content_type", "size", "duration")
    source = stream_source(track, quality)
    expires_in = settings.STREAM_URL_EXPIRY_SECONDS
    storage = get_storage()
    try:
        storage.ensure_reachable(max_age=settings.STORAGE_PROBE_SECONDS)
        presigned = storage.presign_download(
            source.key, expires_in=expires_in, content_type=source.content_type
        )
    except StorageUnavailable:
        raise ServiceUnavailable("Object storage is unavailable; retry shortly.") from None
    play_id = play_start(user=user, track=track, client=client)
    return StreamGrant(
        url=presigned.url,
        expires_at=presigned.expires_at or timezone.now() + timedelta(seconds=expires_in),
        content_type=source.content_type,
        size=source.size,
        duration=track.duration,
        play_id=play_id,
        quality=source.quality,
    )


@transaction.atomic
def play_start(*, user, track: Track, client: str) -> int:
    """Open a history entry, or reuse the user's entry for this track from the dedup window."""
    now = timezone.now()
    window = settings.PLAY_DEDUP_WINDOW_SECONDS
    if window > 0:
        # No row exists yet for the entry we may create, so lock the listener's user row: their
        # concurrent stream calls queue here and the second one sees the first one's entry.
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        recent = (
            Play.objects.filter(
                user=user, track=track, started_at__gt=now - timedelta(seconds=window)
            )
            .order_by("-started_at", "-id")
            .values_list("pk", flat=True)
            .first()
        )
        if recent is not None:
            return recent
    play = Play.objects.create(
        user=user, track=track, started_at=now, client=client[:_CLIENT_MAX_LENGTH]
    )
    return play.pk


@transaction.atomic
def play_report_progress(*, user, play_id: int, played_seconds: float) -> Play:
    """Record how far the player got (the furthest report wins) and count the listen once due."""
    # Lock the entry: reports may arrive concurrently and out of order, and the furthest must win.
    play = (
        Play.objects.select_for_update(of=("self",))
        .select_related("track")
        .only("pk", "played_seconds", "counted", "counted_at", "track__duration")
        .filter(pk=play_id, user=user)
        .first()
    )
    if play is None:
        raise NotFound("History entry not found.")
    duration = play.track.duration
    if duration is not None and played_seconds > duration + PROGRESS_TOLERANCE_SECONDS:
        raise InvalidInput(
            f"Cannot exceed the track's duration ({duration:g} s).", field="played_seconds"
        )
    changed = []
    if played_seconds > play.played_seconds:
        play.played_seconds = played_seconds
        changed.append("played_seconds")
    # Checked even without progress: a duration learned later lets a repeated report count.
    if not play.counted and is_counted_listen(
        duration=duration, played_seconds=play.played_seconds
    ):
        play.counted = True
        play.counted_at = timezone.now()
        changed += ["counted", "counted_at"]
    if changed:
        play.save(update_fields=changed)
    return play


@transaction.atomic
def favorite_toggle(*, user, track_id: int) -> bool:
    """Favorite a playable track, or unfavorite it if it already is; returns the new state."""
    track = _playable_track(track_id)
    deleted, _ = Favorite.objects.filter(user=user, track=track).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Favorite.objects.create(user=user, track=track)
    except IntegrityError:
        # A concurrent toggle inserted it after our delete: the unique constraint kept one row.
        pass
    return True


@transaction.atomic
def play_history_clear(*, user) -> int:
    """Delete every entry of the user's history; returns how many were deleted."""
    deleted, _ = Play.objects.filter(user=user).delete()
    return deleted
