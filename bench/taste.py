"""Synthetic taste: who plays and favorites what in the generated data (numpy, vectorised).

The data are synthetic. Listeners fall into COMMUNITIES; each community prefers a few genres
and, within them, a few artists, with a skew towards its first ones. A play or a favorite is
drawn from the listener's community taste (TASTE_PERCENT), from a short list of hits everyone
plays (HIT_PERCENT), or from the whole catalog (the rest, noise). A model that learns who
listens with whom can find a community's taste; a popularity list finds only the hits.

Tracks belong to artists by ten (track id t has artist (t - 1) // 10 + 1) and artists to
genres in turn (artist a has genre (a - 1) % genres + 1), as bench/generate.py lays them out.
The same functions make the rows the generator inserts and the events the offline evaluation
test reads without a database (tests/recommendations/test_evaluation.py).
"""

from dataclasses import dataclass

import numpy as np

COMMUNITIES = 8
GENRES_PER_COMMUNITY = 3
# Artists of each preferred genre a community listens to, at most.
ARTISTS_PER_GENRE = 8
TASTE_PERCENT = 60
HIT_PERCENT = 20
HITS = 50
TRACKS_PER_ARTIST = 10
# Every HEAVY_USER_SHARE-th play is the first listener's (bench/generate.py).
HEAVY_USER_SHARE = 10
# One play in COUNTED_EVERY counts as a listen.
COUNTED_EVERY = 3


def _hash(values: np.ndarray, salt: int) -> np.ndarray:
    """A deterministic pseudo-random non-negative int64 per value (Knuth's multiplicative
    hash, salted), so that a rerun makes the same rows."""
    mixed = (values.astype(np.int64) * 2654435761 + salt * 40503 + 12345) % (2**31 - 1)
    return (mixed * 48271) % (2**31 - 1)


def community_of(user_index: np.ndarray) -> np.ndarray:
    return user_index % COMMUNITIES


def taste_tracks(
    draw: np.ndarray, user_index: np.ndarray, *, tracks: int, genres: int, salt: int
) -> np.ndarray:
    """The track id (1-based) of each draw by the listener at the same place in `user_index`."""
    artists = max(tracks // TRACKS_PER_ARTIST, 1)
    per_genre = max(min(ARTISTS_PER_GENRE, artists // genres), 1)
    kind = _hash(draw, salt) % 100
    # Community taste: one of its genres, then one of its artists there, skewed to the first.
    community = community_of(user_index)
    genre = (community * GENRES_PER_COMMUNITY + _hash(draw, salt + 1) % GENRES_PER_COMMUNITY) % (
        genres
    )
    rank = (_hash(draw, salt + 2) % per_genre) * (_hash(draw, salt + 3) % per_genre) // per_genre
    artist = (genre + genres * rank) % artists
    taste = artist * TRACKS_PER_ARTIST + _hash(draw, salt + 4) % TRACKS_PER_ARTIST + 1
    # Hits: a short list, skewed to its top.
    hit = (_hash(draw, salt + 5) % HITS) * (_hash(draw, salt + 6) % HITS) // HITS
    hits = (hit * 7919) % tracks + 1
    noise = _hash(draw, salt + 7) % tracks + 1
    chosen = np.where(
        kind < TASTE_PERCENT, taste, np.where(kind < TASTE_PERCENT + HIT_PERCENT, hits, noise)
    )
    return np.minimum(chosen, tracks)


@dataclass(frozen=True)
class Plays:
    """Plays numbered 1..n in time order: the listener (0-based index), track, whether counted."""

    number: np.ndarray
    user_index: np.ndarray
    track: np.ndarray
    counted: np.ndarray


def plays(start: int, stop: int, *, users: int, tracks: int, genres: int) -> Plays:
    """Plays numbered start..stop - 1."""
    number = np.arange(start, stop, dtype=np.int64)
    user_index = np.where(number % HEAVY_USER_SHARE == 0, 0, number % users)
    track = taste_tracks(number, user_index, tracks=tracks, genres=genres, salt=1)
    return Plays(number, user_index, track, number % COUNTED_EVERY == 0)


def favorites(count: int, *, users: int, tracks: int, genres: int) -> tuple[np.ndarray, ...]:
    """(number, user index, track) of distinct favorites, from `count` draws."""
    number = np.arange(count, dtype=np.int64)
    user_index = number % users
    track = taste_tracks(number, user_index, tracks=tracks, genres=genres, salt=101)
    pairs = user_index * (tracks + 1) + track
    _, first = np.unique(pairs, return_index=True)
    first.sort()
    return number[first], user_index[first], track[first]
