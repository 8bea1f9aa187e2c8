"""Listens that players report themselves (the Subsonic API's scrobble), what is playing now,
and the saved play queue."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.api.errors import InvalidInput, NotFound
from core.catalog.models import Track
from core.insights.services import insights_record_listen
from core.library.models import Play, PlayQueue
from core.library.services import is_counted_listen

_CLIENT_MAX_LENGTH = Play._meta.get_field("client").max_length
# A REST stream and a scrobble of one play start within this much of each other.
SCROBBLE_MATCH_SECONDS = 30.0
NOW_PLAYING_DEFAULT_SECONDS = 600
PLAY_QUEUE_MAX_TRACKS = 5_000


def _playable(track_id: int) -> Track:
    track = Track.objects.playable().only("pk", "duration").filter(pk=track_id).first()
    if track is None:
        raise NotFound("Track not found.")
    return track


def _match_window(duration: float | None) -> timedelta:
    seconds = max(SCROBBLE_MATCH_SECONDS, float(settings.PLAY_DEDUP_WINDOW_SECONDS))
    if duration:
        seconds = min(seconds, duration / 2)
    return timedelta(seconds=seconds)


@transaction.atomic
def play_scrobble(*, user, track_id: int, played_at: datetime | None, client: str) -> Play:
    """Record a listen a player reports as heard (started at `played_at`) in the history,
    counted by the one rule (is_counted_listen) as if the whole track played.

    The entry a REST stream opened for the same play (same track, started within
    SCROBBLE_MATCH_SECONDS) is counted rather than a second one added, and a repeated
    scrobble of one play changes nothing."""
    now = timezone.now()
    played_at = played_at or now
    if played_at > now + timedelta(seconds=settings.PLAY_PROGRESS_TOLERANCE_SECONDS):
        raise InvalidInput("A listen cannot start in the future.", field="time")
    track = _playable(track_id)
    window = _match_window(track.duration)
    # Lock the listener's entries of this track in the window: a concurrent scrobble of the
    # same play must find the entry this one counts, not add its own.
    play = (
        Play.objects.select_for_update()
        .filter(
            user=user,
            track=track,
            started_at__gte=played_at - window,
            started_at__lte=played_at + window,
        )
        .order_by("-counted", "-started_at", "-id")
        .first()
    )
    if play is None:
        play = Play(
            user=user, track=track, started_at=played_at, client=client[:_CLIENT_MAX_LENGTH]
        )
    heard = max(play.played_seconds, track.duration or 0.0)
    if play.pk is not None and play.counted:
        return play
    play.played_seconds = heard
    if is_counted_listen(duration=track.duration, played_seconds=heard):
        play.counted = True
        play.counted_at = now
    play.save()
    insights_record_listen(play=play)
    return play


@dataclass(frozen=True)
class NowPlaying:
    track_id: int
    client: str
    since: datetime


def _now_playing_key(user_id: int) -> str:
    return f"now-playing:{user_id}"


def now_playing_set(*, user, track_id: int, client: str) -> None:
    """Say that `user` is playing a track now (until it would have ended); not a listen."""
    track = _playable(track_id)
    seconds = int(track.duration or NOW_PLAYING_DEFAULT_SECONDS) + 1
    entry = NowPlaying(track_id=track.pk, client=client[:_CLIENT_MAX_LENGTH], since=timezone.now())
    cache.set(_now_playing_key(user.pk), entry, timeout=seconds)


def now_playing_get(*, user) -> list[NowPlaying]:
    """What `user` is playing now, as their players last said (only their own)."""
    entry = cache.get(_now_playing_key(user.pk))
    return [entry] if isinstance(entry, NowPlaying) else []


@transaction.atomic
def play_queue_save(
    *, user, track_ids: list[int], current_id: int | None, position_ms: int, client: str
) -> PlayQueue:
    """Keep `user`'s play queue (tracks in order, the current one and the position in it) so
    that another device resumes it; an empty list clears it."""
    if len(track_ids) > PLAY_QUEUE_MAX_TRACKS:
        raise InvalidInput(
            f"A play queue holds at most {PLAY_QUEUE_MAX_TRACKS} tracks.", field="id"
        )
    if position_ms < 0:
        raise InvalidInput("Must be 0 or more.", field="position")
    if current_id is not None and current_id not in track_ids:
        raise InvalidInput("The current track must be in the queue.", field="current")
    queue, _ = PlayQueue.objects.update_or_create(
        user=user,
        defaults={
            "track_ids": track_ids,
            "current_track_id": current_id,
            "position_ms": position_ms,
            "changed_by": client[:200],
        },
    )
    return queue


def play_queue_get(*, user) -> PlayQueue | None:
    return PlayQueue.objects.filter(user=user).first()
