"""The release feed: what artists one follows released, newest first, and (on request) what
the people one follows made public.

Fan-out on write: when a track becomes ready, one statement copies it (and its album, on the
album's first ready track) into each follower's feed (`FeedEntry`). A page is then one range
scan of the listener's own entries, the same cost whether they follow 2 artists or 2,000;
the price is paid once per release, in the processing worker after the track's commit: an
artist with 100,000 followers writes 100,000 narrow rows in one INSERT ... SELECT.
docs/architecture.md#artists weighs it against fan-out on read.

Hidden or no longer ready tracks stay in the table but are left out when a page is read;
deleted ones take their entries with them (foreign keys). The people part is read from their
own tables (public playlists, favorites of public profiles) at request time."""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.api.errors import InvalidInput
from core.artists.models import FeedEntry, UserFollow
from core.catalog.models import Track

# A new follower's feed starts with the artist's latest releases, this many at most.
BACKFILL = 50

# Kinds of items, in the order that breaks ties between items of the same instant.
RELEASE, PLAYLIST, FAVORITE = 3, 2, 1

_FAN_OUT_SQL = """
INSERT INTO core_feedentry (user_id, artist_id, track_id, album_id, released_at)
SELECT follow.user_id, follow.artist_id, %s, %s, %s
FROM core_artistfollow follow
WHERE follow.artist_id = %s
ON CONFLICT DO NOTHING
"""


def feed_publish_track(*, track_id: int, released_at: datetime | None = None) -> None:
    """Put a ready track, and its album if this is the album's first release, in the feed of
    each of its artist's followers. Idempotent: a repeat (a re-run of processing) adds
    nothing, as the unique constraints refuse a second entry."""
    track = Track.objects.filter(pk=track_id).values("artist_id", "album_id", "status").first()
    if track is None or track["status"] != "ready":
        return
    at = released_at or timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_FAN_OUT_SQL, [track_id, None, at, track["artist_id"]])
        if track["album_id"] is not None:
            cursor.execute(_FAN_OUT_SQL, [None, track["album_id"], at, track["artist_id"]])


def on_track_ready(sender, track_id: int, **kwargs) -> None:
    """Receiver of catalog's `track_ready`: fan out once the track's transaction commits."""
    transaction.on_commit(lambda: feed_publish_track(track_id=track_id), robust=True)


def feed_backfill(*, user_id: int, artist_id: int) -> None:
    """A new follower's feed gets the artist's latest ready tracks (and their albums)."""
    tracks = list(
        Track.objects.playable()
        .filter(artist_id=artist_id)
        .order_by("-created_at", "-id")
        .values("pk", "album_id", "updated_at")[:BACKFILL]
    )
    entries = [
        FeedEntry(
            user_id=user_id, artist_id=artist_id, track_id=row["pk"], released_at=row["updated_at"]
        )
        for row in tracks
    ]
    albums: dict[int, datetime] = {}
    for row in tracks:
        if row["album_id"] is not None:
            albums[row["album_id"]] = min(
                albums.get(row["album_id"], row["updated_at"]), row["updated_at"]
            )
    entries += [
        FeedEntry(user_id=user_id, artist_id=artist_id, album_id=album_id, released_at=at)
        for album_id, at in albums.items()
    ]
    FeedEntry.objects.bulk_create(entries, ignore_conflicts=True)


def feed_forget_artist(*, user_id: int, artist_id: int) -> None:
    FeedEntry.objects.filter(user_id=user_id, artist_id=artist_id).delete()


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last item's instant, kind and id (ties broken by kind, id)."""

    at: datetime
    kind: int
    id: int

    def encode(self) -> str:
        raw = f"{self.at.isoformat()}|{self.kind}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            at_text, kind, pk = raw.split("|")
            at = parse_datetime(at_text)
            cursor = cls(at=at, kind=int(kind), id=int(pk))
            if at is None or at.tzinfo is None or not 0 < cursor.id < 2**63:
                raise ValueError
            return cursor
        except (ValueError, UnicodeDecodeError, binascii.Error):
            raise InvalidInput("Invalid cursor.", field="cursor") from None


def _after(cursor: Cursor | None, kind: int, at: str = "at") -> models.Q:
    """Rows of `kind` that come after `cursor` in the order (at desc, kind desc, id desc)."""
    if cursor is None:
        return models.Q()
    if kind < cursor.kind:
        return models.Q(**{f"{at}__lte": cursor.at})
    if kind > cursor.kind:
        return models.Q(**{f"{at}__lt": cursor.at})
    return models.Q(**{f"{at}__lt": cursor.at}) | models.Q(**{at: cursor.at, "pk__lt": cursor.id})


@dataclass
class FeedItem:
    kind: int
    id: int
    at: datetime
    artist_id: int | None = None
    track_id: int | None = None
    album_id: int | None = None
    playlist_id: int | None = None
    user_id: int | None = None


def _releases(user, cursor: Cursor | None, limit: int) -> list[FeedItem]:
    playable = models.Q(track__isnull=True, album__is_hidden=False) | models.Q(
        track__status="ready", track__is_hidden=False
    )
    rows = (
        FeedEntry.objects.filter(playable, _after(cursor, RELEASE, "released_at"), user=user)
        .order_by("-released_at", "-id")
        .values("pk", "released_at", "artist_id", "track_id", "album_id")[:limit]
    )
    return [
        FeedItem(RELEASE, r["pk"], r["released_at"], r["artist_id"], r["track_id"], r["album_id"])
        for r in rows
    ]


def _friends(user, cursor: Cursor | None, limit: int) -> list[FeedItem]:
    from core.library.models import Favorite
    from core.playlists.models import Playlist

    followed = UserFollow.objects.filter(follower=user, followed__is_active=True)
    playlists = (
        Playlist.objects.filter(
            _after(cursor, PLAYLIST, "created_at"),
            is_public=True,
            owner__in=followed.values("followed"),
        )
        .order_by("-created_at", "-id")
        .values("pk", "created_at", "owner_id")[:limit]
    )
    favorites = (
        Favorite.objects.filter(
            _after(cursor, FAVORITE, "created_at"),
            user__in=followed.filter(followed__stats_public=True).values("followed"),
            track__status="ready",
            track__is_hidden=False,
        )
        .order_by("-created_at", "-id")
        .values("pk", "created_at", "user_id", "track_id")[:limit]
    )
    return [
        *(
            FeedItem(PLAYLIST, p["pk"], p["created_at"], playlist_id=p["pk"], user_id=p["owner_id"])
            for p in playlists
        ),
        *(
            FeedItem(
                FAVORITE, f["pk"], f["created_at"], track_id=f["track_id"], user_id=f["user_id"]
            )
            for f in favorites
        ),
    ]


def feed_page(
    *, user, cursor: Cursor | None, limit: int, friends: bool
) -> tuple[list[FeedItem], Cursor | None]:
    """One page of the feed after `cursor`, newest first, and the cursor of the next page
    (None at the end). Each source is read with a seek past the cursor and a limit, then the
    sources are merged: a constant number of statements, each bounded by the page size."""
    items = _releases(user, cursor, limit + 1)
    if friends:
        items += _friends(user, cursor, limit + 1)
    items.sort(key=lambda item: (item.at, item.kind, item.id), reverse=True)
    page, more = items[:limit], len(items) > limit
    last = page[-1] if page else None
    following = Cursor(at=last.at, kind=last.kind, id=last.id) if more and last else None
    return page, following
