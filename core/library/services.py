"""Writes of the library: listening progress, favorites, history (the stream: stream.py)."""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.api.errors import InvalidInput, NotFound
from core.catalog.models import Track
from core.insights.services import insights_forget_listener, insights_record_listen
from core.library.models import ExternalListen, Favorite, Play

# A listen counts once half the track, or 4 minutes of it, has played; shorter tracks never count.
COUNTED_MIN_DURATION_SECONDS = 30.0
COUNTED_MAX_THRESHOLD_SECONDS = 240.0
# Players report positions from their own clock; allow this much past the end of the track.
PROGRESS_TOLERANCE_SECONDS = 1.0


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


@transaction.atomic
def play_report_progress(*, user, play_id: int, played_seconds: float) -> Play:
    """Record how far the player got (the furthest report wins) and count the listen once due.

    A claim beyond the wall time since the play started (plus PLAY_PROGRESS_TOLERANCE_SECONDS)
    is held to that bound, so a listen cannot be counted before it could have been heard.
    """
    # Lock the entry: reports may arrive concurrently and out of order, and the furthest must win.
    play = (
        Play.objects.select_for_update(of=("self",))
        .select_related("track")
        .only("pk", "started_at", "played_seconds", "counted", "counted_at", "track__duration")
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
    now = timezone.now()
    played_seconds = min(played_seconds, _plausible_seconds(play, now=now))
    changed = []
    if played_seconds > play.played_seconds:
        play.played_seconds = played_seconds
        changed.append("played_seconds")
    # Checked even without progress: a duration learned later lets a repeated report count.
    if not play.counted and is_counted_listen(
        duration=duration, played_seconds=play.played_seconds
    ):
        play.counted = True
        play.counted_at = now
        changed += ["counted", "counted_at"]
    if changed:
        play.save(update_fields=changed)
    insights_record_listen(play=play)
    return play


def _plausible_seconds(play: Play, *, now: datetime) -> float:
    """The most a player can have played of `play` by `now`: its wall time, plus slack for
    the player's clock and buffering."""
    elapsed = max((now - play.started_at).total_seconds(), 0.0)
    return elapsed + settings.PLAY_PROGRESS_TOLERANCE_SECONDS


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
    """Delete every entry of the user's history (listens imported or scrobbled included), and
    the statistics made of it; returns how many entries were deleted."""
    insights_forget_listener(user=user)
    deleted, _ = Play.objects.filter(user=user).delete()
    external, _ = ExternalListen.objects.filter(user=user).delete()
    return deleted + external
