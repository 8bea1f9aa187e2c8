"""Listens heard elsewhere (core.library's ExternalListen) in the rollups.

A matched listen counts under its catalog track, like a stream. An unmatched one counts under
a track, artist and album known by name only: negative ids derived from the normalised names
(stable, so one artist's listens group together whatever the spelling of case, accents or
credits), with a ListenedTrack row giving the names as first heard. Charts rank playable
catalog tracks only, so negative ids never reach them; personal statistics list them with
`playable: false`. docs/architecture.md#insights has the design.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core import bulk
from core.catalog import services as catalog_services
from core.insights.models import ListenedTrack, ListenerQuarterHour, ListenerTrack
from core.insights.services import (
    artists_changed,
    bucket_of,
    listened_tracks_create,
    listeners_changed,
    spans_add,
    upsert_sums,
)
from core.library.models import ExternalListen


def _negative_id(*parts: str) -> int:
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return -((int.from_bytes(digest, "big") >> 2) + 1)


def external_track_id(artist_key: str, title_key: str) -> int:
    """The id an unmatched listen's track has in the rollups: negative, from its names."""
    return _negative_id("track", artist_key, title_key)


def external_artist_id(artist_key: str) -> int:
    return _negative_id("artist", artist_key)


def external_album_id(artist_key: str, album_key: str) -> int | None:
    return _negative_id("album", artist_key, album_key) if album_key else None


class HeardListen(Protocol):
    """What the rollups read of a listen from elsewhere: an ExternalListen, or the lighter
    values an import stores it from."""

    user_id: int
    listened_at: datetime
    artist: str
    title: str
    album: str
    artist_key: str
    title_key: str
    album_key: str
    track_id: int | None
    matched: bool
    duration_ms: int | None
    played_ms: int | None
    counted: bool


def listen_ms(listen: HeardListen) -> int:
    """Played time a listen adds: what the source says was played, else its duration, else 0."""
    if listen.played_ms is not None:
        return listen.played_ms
    return listen.duration_ms or 0


def rollup_track_id(listen: HeardListen) -> int | None:
    """The track a counted listen counts under; None for one matched to a track since deleted
    (its listens stay in that track's rows, as a deleted track's streams do)."""
    if listen.track_id is not None:
        return listen.track_id
    if listen.matched:
        return None
    return external_track_id(listen.artist_key, listen.title_key)


@dataclass
class _Sum:
    listens: int = 0
    ms: int = 0
    first_at: datetime | None = None

    def add(self, ms: int, at: datetime) -> None:
        self.listens += 1
        self.ms += ms
        self.first_at = at if self.first_at is None else min(self.first_at, at)


_LISTENED_TRACK_COLUMNS = (
    "track_id",
    "title",
    "artist_id",
    "artist_name",
    "album_id",
    "album_title",
    "listens",
    "listeners",
)


def _ensure_listened_tracks(listens: Sequence[HeardListen]) -> None:
    listened_tracks_create(sorted({listen.track_id for listen in listens if listen.track_id}))
    unmatched: dict[int, tuple] = {}
    for listen in listens:
        if listen.track_id is None and not listen.matched:
            track_id = external_track_id(listen.artist_key, listen.title_key)
            if track_id not in unmatched:
                unmatched[track_id] = (
                    track_id,
                    listen.title[:300],
                    external_artist_id(listen.artist_key),
                    listen.artist[:200],
                    external_album_id(listen.artist_key, listen.album_key),
                    listen.album[:200],
                    0,
                    0,
                )
    bulk.insert_rows(
        ListenedTrack,
        _LISTENED_TRACK_COLUMNS,
        list(unmatched.values()),
        on_conflict="ON CONFLICT (track_id) DO NOTHING",
    )


def _bump(listens: dict[int, int], listeners: dict[int, int]) -> None:
    """Add to listened tracks' all-time listens and listeners, set-based."""
    bulk.add_by_id(
        ListenedTrack,
        ("listens", "listeners"),
        {pk: (listens.get(pk, 0), listeners.get(pk, 0)) for pk in listens.keys() | listeners},
    )


def _add_listens(
    listens: Sequence[HeardListen],
) -> tuple[dict[int, int], dict[int, int], list[tuple[int, datetime]]]:
    """Add counted `listens` to the listeners' rollup rows; returns, per track id, the listens
    added and the listeners new to it, and each quarter-hour row's artist and earliest new
    listen."""
    _ensure_listened_tracks(listens)
    quarters: dict[tuple[int, datetime, int], _Sum] = {}
    tracks: dict[tuple[int, int], _Sum] = {}
    for listen in listens:
        track_id = rollup_track_id(listen)
        if track_id is None:
            continue
        ms, at = listen_ms(listen), listen.listened_at
        quarters.setdefault((listen.user_id, bucket_of(at), track_id), _Sum()).add(ms, at)
        tracks.setdefault((listen.user_id, track_id), _Sum()).add(ms, at)
    # Pairs of (listener, track) seen before: a new pair is one more listener of the track.
    # Read by the unique index (user, track); the caller holds the listener's lock.
    track_ids = {track_id for _, track_id in tracks}
    known = {
        pair
        for user_id in {user_id for user_id, _ in tracks}
        for pair in bulk.values_where_in(
            ListenerTrack, ("user", "track"), "track", track_ids, user=user_id
        )
    }
    labels = {
        pk: (artist_id, album_id)
        for pk, artist_id, album_id in bulk.values_where_in(
            ListenedTrack, ("track_id", "artist_id", "album_id"), "track_id", track_ids
        )
    }
    quarter_rows = [
        (*key, *labels[key[2]], s.listens, s.ms, s.first_at) for key, s in quarters.items()
    ]
    upsert_sums(ListenerQuarterHour, ("user", "bucket", "track"), quarter_rows)
    spans_add(quarter_rows)
    upsert_sums(
        ListenerTrack,
        ("user", "track"),
        [(*key, *labels[key[1]], s.listens, s.ms, s.first_at) for key, s in tracks.items()],
    )
    listens: dict[int, int] = {}
    listeners: dict[int, int] = {}
    for key, total in tracks.items():
        track_id = key[1]
        listens[track_id] = listens.get(track_id, 0) + total.listens
        if key not in known:
            listeners[track_id] = listeners.get(track_id, 0) + 1
    started = [(labels[key[2]][0], s.first_at) for key, s in quarters.items()]
    return listens, listeners, started


def insights_record_external_listens(*, listens: Sequence[HeardListen]) -> None:
    """Bring the rollups up to date with newly stored listens from elsewhere; call it once per
    listen, in the transaction that stored them (stored listens never change)."""
    counted = [listen for listen in listens if listen.counted]
    if not counted:
        return
    listens_added, listeners_added, started = _add_listens(counted)
    _bump(listens_added, listeners_added)
    catalog_services.track_listen_counts_add({pk: n for pk, n in listens_added.items() if pk > 0})
    earliest: dict[int, datetime] = {}
    for listen in counted:
        at = listen.listened_at
        earliest[listen.user_id] = min(at, earliest.get(listen.user_id, at))
    artists_changed(started)
    listeners_changed(earliest)


def rebuild_external_listens(*, batch: int = 5000) -> int:
    """Add every counted listen from elsewhere to freshly rebuilt rollups (rebuild.py), without
    recounting tracks; returns how many were added."""
    added = 0
    chunk: list[ExternalListen] = []
    for listen in ExternalListen.objects.filter(counted=True).order_by().iterator(batch):
        chunk.append(listen)
        if len(chunk) == batch:
            _add_listens(chunk)
            added += len(chunk)
            chunk = []
    if chunk:
        _add_listens(chunk)
        added += len(chunk)
    return added
