"""Reads of favorites and play history, with their joins built in."""

from datetime import datetime

from django.db import models

from config import prepared
from core.catalog.models import Track
from core.catalog.querysets import visible_track_q
from core.library.models import Favorite, HistoryEntry


def favorite_marks_sql(*, user_id: int, track_ids: list[int]) -> tuple[str, list]:
    """A statement of which of `track_ids` are favorites of the user, as (track_id, 1) rows,
    for readers that mark a page's tracks with other rooms' marks in one round trip
    (catalog.selectors.listener_marks). Plain SQL, indexed: it runs on every kept catalog page
    a listener reads (core/catalog/kept_pages.py), where building an ORM query cost more than
    running it."""
    among, params = prepared.any_of("track_id", track_ids)
    return (
        f"SELECT track_id, 1 FROM {Favorite._meta.db_table} "  # noqa: S608 (fixed names)
        f"WHERE user_id = %s AND {among}",
        [user_id, *params],
    )


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
    entries = HistoryEntry.objects.filter(user=user)
    visible = visible_track_q(user, "track__")
    if visible:  # empty for moderators, who see every track (and `Q(...) | Q()` is `Q(...)`)
        entries = entries.filter(models.Q(track__isnull=True) | visible)
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
