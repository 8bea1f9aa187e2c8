"""Reads of favorites and play history, with their joins built in."""

from datetime import datetime

from django.db import connection, models

from core.catalog.models import Track
from core.catalog.querysets import visible_track_q
from core.library.models import Favorite, HistoryEntry


def favorite_track_ids(*, user_id: int, track_ids: list[int]) -> set[int]:
    """Which of `track_ids` are favorites of the user, in one indexed statement. Plain SQL: it
    runs on every kept catalog page a listener reads (core/catalog/kept_pages.py), where
    building the ORM query cost more than running it."""
    if not track_ids:
        return set()
    marks = ", ".join(["%s"] * len(track_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT track_id FROM {Favorite._meta.db_table} "  # noqa: S608 (fixed names)
            f"WHERE user_id = %s AND track_id IN ({marks})",
            [user_id, *track_ids],
        )
        return {track_id for (track_id,) in cursor.fetchall()}


def _track_prefetch(user) -> models.Prefetch:
    """The track of each entry, loaded as a listing payload in one query for the whole page."""
    return models.Prefetch("track", queryset=Track.objects.for_listing().with_favorite_flag(user))


def favorite_list(*, user) -> models.QuerySet[Favorite]:
    """One's own favorites, newest first, limited to tracks one may see (hidden ones drop out)."""
    return (
        Favorite.objects.filter(visible_track_q(user, "track__"), user=user)
        .order_by("-created_at", "-id")
        .prefetch_related(_track_prefetch(user))
    )


def play_history(
    *,
    user,
    since: datetime | None = None,
    until: datetime | None = None,
    counted: bool | None = None,
    with_tracks: bool = True,
) -> models.QuerySet[HistoryEntry]:
    """One's own history, newest first: streams of tracks one may see, and listens heard
    elsewhere (matched to a track one may see, or unmatched); bounds are inclusive.

    `with_tracks=False` leaves out the prefetch of each entry's track, for readers that load
    the tracks themselves (the .values() fast path): building it costs every request."""
    entries = HistoryEntry.objects.filter(
        models.Q(track__isnull=True) | visible_track_q(user, "track__"),
        user=user,
    )
    if since is not None:
        entries = entries.filter(started_at__gte=since)
    if until is not None:
        entries = entries.filter(started_at__lte=until)
    if counted is not None:
        entries = entries.filter(counted=counted)
    entries = entries.order_by("-started_at", "-entry_id")
    return entries.prefetch_related(_track_prefetch(user)) if with_tracks else entries


def favorite_albums(*, user) -> models.QuerySet:
    """One's own favorite albums as album payloads, newest favorite first."""
    from core.catalog.selectors import album_list
    from core.library.favorites import favorite_since

    return (
        album_list(user=user)
        .filter(favorites__user=user)
        .annotate(favorited_at=favorite_since(user, "album"))
        .order_by("-favorited_at", "-id")
    )


def favorite_artists(*, user) -> models.QuerySet:
    """One's own favorite artists as artist payloads, newest favorite first."""
    from core.catalog.selectors import artist_list
    from core.library.favorites import favorite_since

    return (
        artist_list(user=user)
        .filter(favorites__user=user)
        .annotate(favorited_at=favorite_since(user, "artist"))
        .order_by("-favorited_at", "-id")
    )
