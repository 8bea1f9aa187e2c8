"""The signals recommendations learn from: a small registry of sources.

Each source reads events from its own room's tables and says what role they play:
- INTERACTION events fill the listener x track matrix the model learns from, with a weight;
  the source's `reason` is what a candidate it led to may say ("Because you listened to X").
- EXCLUDE_TRACKS events take tracks out of that listener's candidates (skips).
- EXCLUDE_ARTISTS events take all of an artist's tracks out (their `tracks` hold artist ids).

Adding a signal is one function and one `register` call. Ratings come from the ratings room
(a track rated 4 or 5 stars is an INTERACTION, a track rated 1 or 2 and every track of an album
rated 1 or 2 EXCLUDE_TRACKS); follows from the artists room (`FOLLOWED_ARTISTS`: their artists'
candidates are boosted and their new tracks proposed, "New from Z, whom you follow").
"""

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db.models import F

from core.recommendations.model import Events
from core.recommendations.models import SKIP_SECONDS, ReasonKind
from core.recommendations.weights import (
    FAVORITE_WEIGHT,
    LISTEN_HALF_LIFE_DAYS,
    PLAYLIST_ADD_WEIGHT,
    RATING_WEIGHTS,
)

CHUNK = 50_000


class Role(enum.Enum):
    INTERACTION = "interaction"
    EXCLUDE_TRACKS = "exclude_tracks"
    EXCLUDE_ARTISTS = "exclude_artists"


@dataclass(frozen=True)
class Source:
    name: str
    role: Role
    read: Callable[[datetime], Events]
    reason: ReasonKind | None = None


SOURCES: list[Source] = []

# Artists each listener follows, as (user ids, artist ids), for "New from Z, whom you follow"
# candidates (see the end of this module).
FOLLOWED_ARTISTS: list[Callable[[], tuple[np.ndarray, np.ndarray]]] = []


def register(source: Source) -> Source:
    SOURCES.append(source)
    return source


def _events(rows: Iterable[tuple], weight: Callable[[np.ndarray], np.ndarray]) -> Events:
    """Events from (user id, track id, datetime) rows, weighted by their epoch seconds."""
    users, tracks, times = [], [], []
    for user_id, track_id, when in rows:
        users.append(user_id)
        tracks.append(track_id)
        times.append(when.timestamp())
    time_array = np.array(times, dtype=np.float64)
    return Events(
        np.array(users, dtype=np.int64),
        np.array(tracks, dtype=np.int64),
        weight(time_array).astype(np.float32),
        time_array,
    )


def read_listens(now: datetime) -> Events:
    """Counted listens, each weighted by its age (LISTEN_HALF_LIFE_DAYS)."""
    from core.library.models import Play

    rows = (
        Play.objects.filter(counted=True)
        .values_list("user_id", "track_id", "started_at")
        .iterator(chunk_size=CHUNK)
    )
    half_life = LISTEN_HALF_LIFE_DAYS * 86400
    return _events(rows, lambda t: 0.5 ** (np.maximum(now.timestamp() - t, 0) / half_life))


def read_favorites(now: datetime) -> Events:
    from core.library.models import Favorite

    rows = Favorite.objects.values_list("user_id", "track_id", "created_at").iterator(
        chunk_size=CHUNK
    )
    return _events(rows, lambda t: np.full(len(t), FAVORITE_WEIGHT))


def read_playlist_adds(now: datetime) -> Events:
    """Tracks listeners put in their own playlists."""
    from core.playlists.models import PlaylistItem

    rows = PlaylistItem.objects.values_list(
        F("playlist__owner_id"), "track_id", "added_at"
    ).iterator(chunk_size=CHUNK)
    return _events(rows, lambda t: np.full(len(t), PLAYLIST_ADD_WEIGHT))


def read_skips(now: datetime) -> Events:
    """Plays stopped early that never counted."""
    from core.library.models import Play

    rows = (
        Play.objects.filter(counted=False, played_seconds__lt=SKIP_SECONDS)
        .values_list("user_id", "track_id", "started_at")
        .iterator(chunk_size=CHUNK)
    )
    return _events(rows, lambda t: np.ones(len(t)))


register(Source("listens", Role.INTERACTION, read_listens, ReasonKind.LISTENED))
register(Source("favorites", Role.INTERACTION, read_favorites, ReasonKind.FAVORITED))
register(Source("playlist adds", Role.INTERACTION, read_playlist_adds, ReasonKind.PLAYLISTED))
register(Source("skips", Role.EXCLUDE_TRACKS, read_skips))


def read_good_ratings(now: datetime) -> Events:
    """Tracks rated 4 or 5 stars, weighted by their stars (RATING_WEIGHTS)."""
    from core.ratings.selectors import track_rating_rows

    rows, stars = [], []
    for user_id, track_id, given, when in track_rating_rows(chunk_size=CHUNK):
        if given in RATING_WEIGHTS:
            rows.append((user_id, track_id, when))
            stars.append(RATING_WEIGHTS[given])
    weights = np.array(stars, dtype=np.float32)
    return _events(rows, lambda t: weights)


def read_bad_ratings(now: datetime) -> Events:
    """Tracks rated 1 or 2 stars, and every track of an album rated 1 or 2 stars."""
    from core.catalog.models import Track
    from core.ratings.selectors import BAD_STARS, album_rating_rows, track_rating_rows

    rows = [
        (user_id, track_id, when)
        for user_id, track_id, given, when in track_rating_rows(chunk_size=CHUNK)
        if given <= BAD_STARS
    ]
    by_album: dict[int, list[tuple[int, datetime]]] = {}
    for user_id, album_id, when in album_rating_rows(chunk_size=CHUNK):
        by_album.setdefault(album_id, []).append((user_id, when))
    if by_album:
        album_tracks = Track.objects.filter(album_id__in=list(by_album)).values_list(
            "pk", "album_id"
        )
        for track_id, album_id in album_tracks.iterator(chunk_size=CHUNK):
            rows += [(user_id, track_id, when) for user_id, when in by_album[album_id]]
    return _events(rows, lambda t: np.ones(len(t)))


def read_follows() -> tuple[np.ndarray, np.ndarray]:
    from core.artists.selectors import artist_follow_rows

    pairs = list(artist_follow_rows(chunk_size=CHUNK))
    users = np.array([u for u, _ in pairs], dtype=np.int64)
    artists = np.array([a for _, a in pairs], dtype=np.int64)
    return users, artists


register(Source("good ratings", Role.INTERACTION, read_good_ratings, ReasonKind.RATED))
register(Source("bad ratings", Role.EXCLUDE_TRACKS, read_bad_ratings))
FOLLOWED_ARTISTS.append(read_follows)
