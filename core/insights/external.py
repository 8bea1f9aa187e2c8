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

from django.db import connection, models

from core.catalog import services as catalog_services
from core.insights.models import ListenedTrack, ListenerQuarterHour, ListenerTrack
from core.insights.services import bucket_of, listened_tracks_create
from core.library.models import ExternalListen

_CHUNK = 1000


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


def listen_ms(listen: ExternalListen) -> int:
    """Played time a listen adds: what the source says was played, else its duration, else 0."""
    if listen.played_ms is not None:
        return listen.played_ms
    return listen.duration_ms or 0


def rollup_track_id(listen: ExternalListen) -> int | None:
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


def _ensure_listened_tracks(listens: Sequence[ExternalListen]) -> None:
    listened_tracks_create(sorted({listen.track_id for listen in listens if listen.track_id}))
    ListenedTrack.objects.bulk_create(
        [
            ListenedTrack(
                track_id=external_track_id(listen.artist_key, listen.title_key),
                title=listen.title[:300],
                artist_id=external_artist_id(listen.artist_key),
                artist_name=listen.artist[:200],
                album_id=external_album_id(listen.artist_key, listen.album_key),
                album_title=listen.album[:200],
            )
            for listen in listens
            if listen.track_id is None and not listen.matched
        ],
        ignore_conflicts=True,
        batch_size=_CHUNK,
    )


def _upsert(model: type[models.Model], key: tuple[str, ...], rows: list[tuple]) -> None:
    """Add `rows` (key columns, artist_id, album_id, listens, ms, first_at) to `model`'s rows,
    creating the missing ones: one INSERT ... ON CONFLICT per chunk, on PostgreSQL and SQLite."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [*key, "artist_id", "album_id", "listens", "ms", "first_at"]
    column_names = [model._meta.get_field(c.removesuffix("_id")).column for c in key]
    names = ", ".join([*column_names, "artist_id", "album_id", "listens", "ms", "first_at"])
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    on_conflict = (
        f"ON CONFLICT ({', '.join(column_names)}) DO UPDATE SET "
        f"listens = {table}.listens + excluded.listens, ms = {table}.ms + excluded.ms, "
        f"first_at = {least}({table}.first_at, excluded.first_at)"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            values = ", ".join([placeholders] * len(chunk))
            sql = f"INSERT INTO {table} ({names}) VALUES {values} {on_conflict}"  # noqa: S608 (names from the models; values bound)
            cursor.execute(
                sql,
                [_adapt(value) for row in chunk for value in row],
            )


def _adapt(value):
    # Raw SQL skips the fields' own conversion: SQLite stores datetimes as naive UTC text.
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _case(chunk: list[int], amounts: dict[int, int]) -> models.Case:
    return models.Case(
        *(models.When(pk=pk, then=models.Value(amounts.get(pk, 0))) for pk in chunk),
        output_field=models.IntegerField(),
    )


def _bump(listens: dict[int, int], listeners: dict[int, int]) -> None:
    """Add to listened tracks' all-time listens and listeners; one UPDATE per 500 tracks."""
    ids = sorted(listens)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        ListenedTrack.objects.filter(pk__in=chunk).update(
            listens=models.F("listens") + _case(chunk, listens),
            listeners=models.F("listeners") + _case(chunk, listeners),
        )


def _add_listens(
    listens: Sequence[ExternalListen],
) -> tuple[dict[int, int], dict[int, int]]:
    """Add counted `listens` to the listeners' rollup rows; returns, per track id, the listens
    added and the listeners new to it."""
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
    known = set(
        ListenerTrack.objects.filter(
            user_id__in={user_id for user_id, _ in tracks},
            track_id__in={track_id for _, track_id in tracks},
        ).values_list("user_id", "track_id")
    )
    labels = {
        pk: (artist_id, album_id)
        for pk, artist_id, album_id in ListenedTrack.objects.filter(
            pk__in={track_id for _, track_id in tracks}
        ).values_list("pk", "artist_id", "album_id")
    }
    _upsert(
        ListenerQuarterHour,
        ("user_id", "bucket", "track_id"),
        [(*key, *labels[key[2]], s.listens, s.ms, s.first_at) for key, s in quarters.items()],
    )
    _upsert(
        ListenerTrack,
        ("user_id", "track_id"),
        [(*key, *labels[key[1]], s.listens, s.ms, s.first_at) for key, s in tracks.items()],
    )
    listens: dict[int, int] = {}
    listeners: dict[int, int] = {}
    for key, total in tracks.items():
        track_id = key[1]
        listens[track_id] = listens.get(track_id, 0) + total.listens
        if key not in known:
            listeners[track_id] = listeners.get(track_id, 0) + 1
    return listens, listeners


def insights_record_external_listens(*, listens: Sequence[ExternalListen]) -> None:
    """Bring the rollups up to date with newly stored listens from elsewhere; call it once per
    listen, in the transaction that stored them (stored listens never change)."""
    counted = [listen for listen in listens if listen.counted]
    if not counted:
        return
    listens_added, listeners_added = _add_listens(counted)
    _bump(listens_added, listeners_added)
    catalog_services.track_listen_counts_add({pk: n for pk, n in listens_added.items() if pk > 0})


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
