"""Reads of favorites, play history and play counts, with their joins built in."""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models.functions import Coalesce

from core.catalog.models import Track, TrackStatus
from core.catalog.querysets import TrackQuerySet
from core.library.models import Favorite, Play
from core.processing.models import TrackVariant
from core.processing.selectors import ORIGINAL, StreamSource, choose_source


def _track_prefetch(user) -> models.Prefetch:
    """The track of each entry, loaded as a listing payload in one query for the whole page."""
    return models.Prefetch("track", queryset=Track.objects.for_listing().with_favorite_flag(user))


def favorite_list(*, user) -> models.QuerySet[Favorite]:
    """One's own favorites, newest first, limited to tracks one may see (hidden ones drop out)."""
    return (
        Favorite.objects.filter(user=user, track__in=Track.objects.visible_to(user))
        .order_by("-created_at", "-id")
        .prefetch_related(_track_prefetch(user))
    )


def play_history(
    *,
    user,
    since: datetime | None = None,
    until: datetime | None = None,
    counted: bool | None = None,
) -> models.QuerySet[Play]:
    """One's own history, newest first, limited to tracks one may see; bounds are inclusive."""
    plays = Play.objects.filter(user=user, track__in=Track.objects.visible_to(user))
    if since is not None:
        plays = plays.filter(started_at__gte=since)
    if until is not None:
        plays = plays.filter(started_at__lte=until)
    if counted is not None:
        plays = plays.filter(counted=counted)
    return plays.order_by("-started_at", "-id").prefetch_related(_track_prefetch(user))


def with_play_count(tracks: TrackQuerySet) -> TrackQuerySet:
    """Annotate `play_count`: the track's counted listens (not mere stream requests).

    A correlated subquery rather than a join, so it composes with other annotations
    without multiplying rows; it reads the partial index on counted plays.
    """
    counted = (
        Play.objects.filter(track=models.OuterRef("pk"), counted=True)
        .order_by()
        .values("track")
        .annotate(total=models.Count("pk"))
        .values("total")
    )
    return tracks.annotate(
        play_count=Coalesce(
            models.Subquery(counted, output_field=models.IntegerField()), models.Value(0)
        )
    )


@dataclass(frozen=True)
class StreamTarget:
    """What a stream request needs to know, read in one query."""

    account_active: bool
    source: StreamSource | None  # None when no playable track has the id asked for
    duration: float | None
    recent_play_id: int | None  # the listener's newest entry for the track since `since`


@functools.cache
def _stream_target_sql() -> str:
    # Raw SQL on purpose: the stream is the hottest endpoint, and building this query with the
    # ORM costs several times what running it does. "Playable" is TrackQuerySet.playable()'s
    # rule (ready and not hidden); tests/library/test_stream.py holds the two to each other.
    users, tracks, variants, plays = (
        model._meta.db_table for model in (get_user_model(), Track, TrackVariant, Play)
    )
    return f"""
        SELECT u.is_active AS active, t.id AS track_id, t.duration AS duration,
               t.storage_key AS key, t.content_type AS content_type, t.size AS size,
               v.key AS variant_key, v.content_type AS variant_type, v.size AS variant_size,
               (SELECT p.id FROM {plays} p
                 WHERE p.user_id = %(user)s AND p.track_id = %(track)s
                   AND p.started_at > %(since)s
                 ORDER BY p.started_at DESC, p.id DESC LIMIT 1) AS recent_play_id
          FROM {users} u
          LEFT JOIN {tracks} t
            ON t.id = %(track)s AND t.status = %(ready)s AND NOT t.is_hidden
          LEFT JOIN {variants} v ON v.track_id = t.id AND v.quality = %(quality)s
         WHERE u.id = %(user)s
    """  # noqa: S608 (table names from the models; every value is bound)


def stream_target_query(
    *, user_id: int, track_id: int, quality: str, since: datetime
) -> tuple[str, dict]:
    """The SQL and parameters of stream_target(), for a statement that builds on it."""
    params = {
        "user": user_id,
        "track": track_id,
        "ready": TrackStatus.READY,
        "quality": quality,
        "since": since,
    }
    return _stream_target_sql(), params


def stream_target_from_row(row: tuple, quality: str) -> StreamTarget:
    active, pk, duration, key, content_type, size, v_key, v_type, v_size, recent = row
    source = None
    if pk is not None:
        source = choose_source(
            quality,
            original=StreamSource(ORIGINAL, key, content_type, size),
            variant=None if v_key is None else StreamSource(quality, v_key, v_type, v_size),
        )
    return StreamTarget(
        account_active=bool(active), source=source, duration=duration, recent_play_id=recent
    )


def stream_target(
    *, user_id: int, track_id: int, quality: str, since: datetime
) -> StreamTarget | None:
    """The account's state, the playable track's audio in `quality` (or its original when it
    has no such variant) and the listener's latest entry for it since `since`, in one query.
    None when no account has `user_id`."""
    sql, params = stream_target_query(
        user_id=user_id, track_id=track_id, quality=quality, since=since
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else stream_target_from_row(row, quality)
