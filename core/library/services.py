"""Writes of the library: stream grants with play history, listening progress, favorites."""

import functools
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from rest_framework.exceptions import AuthenticationFailed

from core.api.errors import InvalidInput, NotFound, ServiceUnavailable
from core.catalog.models import Track
from core.library import selectors
from core.library.models import Favorite, Play
from core.processing.selectors import ORIGINAL
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
    and the grant says which one it gives. Storage must have answered a recent probe before
    anything is written, so an outage leaves no entry behind.

    `user` may be a token's user (its id only): the read that finds the track also confirms
    that the account exists and is active, so a deactivated account is refused at once
    although authentication loaded no user row. On PostgreSQL that read and the entry's
    insert are one round trip.
    """
    now = timezone.now()
    user_id = int(user.pk)
    storage = get_storage()
    try:
        storage.ensure_reachable(max_age=settings.STORAGE_PROBE_SECONDS)
    except StorageUnavailable:
        raise ServiceUnavailable("Object storage is unavailable; retry shortly.") from None
    target, opened = _read_and_open_play(
        user_id=user_id, track_id=track_id, quality=quality, client=client, now=now
    )
    if target is None:
        raise AuthenticationFailed("User not found", code="user_not_found")
    if not target.account_active:
        raise AuthenticationFailed("User is inactive", code="user_inactive")
    source = target.source
    if source is None:
        raise NotFound("Track not found.")
    expires_in = settings.STREAM_URL_EXPIRY_SECONDS
    try:
        presigned = storage.presign_download(
            source.key, expires_in=expires_in, content_type=source.content_type
        )
    except StorageUnavailable:
        # Signing failed after the statement opened the entry: take it back.
        if opened is not None:
            Play.objects.filter(pk=opened).delete()
        raise ServiceUnavailable("Object storage is unavailable; retry shortly.") from None
    play_id = opened
    if play_id is None and settings.PLAY_DEDUP_WINDOW_SECONDS > 0:
        play_id = target.recent_play_id
    if play_id is None:
        play_id = play_start(user_id=user_id, track_id=track_id, client=client, now=now)
    return StreamGrant(
        url=presigned.url,
        expires_at=presigned.expires_at or now + timedelta(seconds=expires_in),
        content_type=source.content_type,
        size=source.size,
        duration=target.duration,
        play_id=play_id,
        quality=source.quality,
    )


# Advisory locks of history inserts: this namespace, and a hash of (listener, track).
_PLAY_LOCK_SPACE = 0x706C6179
_PLAY_LOCK_SQL = "SELECT pg_advisory_xact_lock(%(lock_space)s, %(lock_key)s); "


def _play_lock_params(user_id: int, track_id: int) -> dict:
    key = zlib.crc32(f"{user_id}:{track_id}".encode()) - 2**31
    return {"lock_space": _PLAY_LOCK_SPACE, "lock_key": key}


def _insert_params(*, user_id: int, track_id: int, client: str, now: datetime) -> dict:
    since = now - timedelta(seconds=settings.PLAY_DEDUP_WINDOW_SECONDS)
    return {
        "user": user_id,
        "track": track_id,
        "now": now,
        "client": client[:_CLIENT_MAX_LENGTH],
        "counted": False,
        "since": since,
    }


def _read_and_open_play(
    *, user_id: int, track_id: int, quality: str, client: str, now: datetime
) -> tuple[selectors.StreamTarget | None, int | None]:
    """The stream's target and, on PostgreSQL, the entry it opens (None when the dedup window
    already holds one, or when the account or track does not qualify), in one round trip.
    Elsewhere only the target: the caller opens the entry with play_start()."""
    dedup = settings.PLAY_DEDUP_WINDOW_SECONDS > 0
    params = _insert_params(user_id=user_id, track_id=track_id, client=client, now=now)
    target_args = {"user_id": user_id, "track_id": track_id, "quality": quality}
    if connection.vendor != "postgresql":
        return selectors.stream_target(**target_args, since=params["since"]), None
    target_sql, target_params = selectors.stream_target_query(**target_args, since=params["since"])
    sql = f"""
        WITH target AS ({target_sql}),
        opened AS (
            INSERT INTO {Play._meta.db_table}
                   (user_id, track_id, started_at, client, played_seconds, counted)
            SELECT %(user)s, track_id, %(now)s, %(client)s, 0, %(counted)s FROM target
             WHERE active AND track_id IS NOT NULL
               AND (recent_play_id IS NULL OR NOT %(dedup)s)
            RETURNING id
        )
        SELECT target.*, (SELECT id FROM opened) FROM target
    """  # noqa: S608 (SQL from our own fragments; every value is bound)
    params = {**params, **target_params, "dedup": dedup}
    try:
        with connection.cursor() as cursor:
            if dedup:
                # The lock and the statement in one execute (Django's psycopg cursors bind
                # client-side), one implicit transaction: the statement's snapshot is taken
                # once the lock is held, so it sees the entry the previous holder committed.
                cursor.execute(
                    _PLAY_LOCK_SQL + sql, {**params, **_play_lock_params(user_id, track_id)}
                )
                cursor.nextset()
            else:
                cursor.execute(sql, params)
            row = cursor.fetchone()
    except IntegrityError:
        # The track or the account was deleted while the statement ran.
        raise NotFound("Track not found.") from None
    if row is None:
        return None, None
    return selectors.stream_target_from_row(row[:-1], quality), row[-1]


def play_start(*, user_id: int, track_id: int, client: str, now: datetime | None = None) -> int:
    """Open a history entry, or give the listener's entry for this track from the dedup window.

    Concurrent calls for one listener and track open one entry between them: on PostgreSQL
    under an advisory lock on (listener, track) taken in the insert's own round trip;
    elsewhere (SQLite) in a transaction that holds the database's write lock from its start.
    """
    params = _insert_params(
        user_id=user_id, track_id=track_id, client=client, now=now or timezone.now()
    )
    if settings.PLAY_DEDUP_WINDOW_SECONDS > 0:
        play_id = _insert_play(params, dedup=True)
        if play_id is not None:
            return play_id
        # A concurrent request opened the entry after our caller looked for one.
        recent = (
            Play.objects.filter(user_id=user_id, track_id=track_id, started_at__gt=params["since"])
            .order_by("-started_at", "-id")
            .values_list("pk", flat=True)
            .first()
        )
        if recent is not None:
            return recent
        # ... and the history was cleared since: open one regardless.
    return _insert_play(params, dedup=False)


@functools.cache
def _insert_play_sql(*, dedup: bool) -> str:
    table = Play._meta.db_table
    sql = f"""
        INSERT INTO {table} (user_id, track_id, started_at, client, played_seconds, counted)
        SELECT %(user)s, %(track)s, %(now)s, %(client)s, 0, %(counted)s
    """
    if dedup:
        sql += f"""
         WHERE NOT EXISTS (SELECT 1 FROM {table} p
                            WHERE p.user_id = %(user)s AND p.track_id = %(track)s
                              AND p.started_at > %(since)s)
        """  # noqa: S608 (the table name from the model; every value is bound)
    return sql + " RETURNING id"


def _insert_play(params: dict, *, dedup: bool) -> int | None:
    """The new entry's id; None when `dedup` found an entry from the window."""
    sql = _insert_play_sql(dedup=dedup)
    try:
        with connection.cursor() as cursor:
            if not dedup:
                cursor.execute(sql, params)
                row = cursor.fetchone()
            elif connection.vendor == "postgresql":
                lock = _play_lock_params(params["user"], params["track"])
                cursor.execute(_PLAY_LOCK_SQL + sql, {**params, **lock})
                cursor.nextset()
                row = cursor.fetchone()
            else:
                with transaction.atomic():
                    cursor.execute(sql, params)
                    # Read before the transaction ends: SQLite cannot commit mid-statement.
                    row = cursor.fetchone()
    except IntegrityError:
        # The track (or the account) was deleted since it was read.
        raise NotFound("Track not found.") from None
    return None if row is None else row[0]


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
