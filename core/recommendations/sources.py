"""The signals recommendations learn from: a small registry of sources.

Each source reads events from its own room's tables and says what role they play:
- INTERACTION events fill the listener x track matrix the model learns from, with a weight;
  the source's `reason` is what a candidate it led to may say ("Because you listened to X").
- EXCLUDE_TRACKS events take tracks out of that listener's candidates (skips).
- EXCLUDE_ARTISTS events take all of an artist's tracks out (their `tracks` hold artist ids).

Adding a signal is one function and one `register` call. Two are expected from the artists
room: ratings (a bad rating as EXCLUDE_ARTISTS, a good one as INTERACTION on the artist's
tracks) and follows (candidates "New from Z, whom you follow", see `FOLLOWED_ARTISTS`).
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
# candidates; empty until the artists room registers its reader here.
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
