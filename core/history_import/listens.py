"""Storing listens heard elsewhere: one batch of rows from an import or a scrobble request,
matched, de-duplicated against what is stored, inserted and counted, in the caller's
transaction."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from core import bulk
from core.history_import.formats import Row
from core.history_import.matching import CatalogIndex
from core.insights.external import insights_record_external_listens
from core.library import matching
from core.library.models import ExternalListen, ListenSource
from core.library.services import COUNTED_MIN_DURATION_SECONDS, is_counted_listen


@dataclass(slots=True)
class Listen:
    """A listen about to be stored: ExternalListen's values, without a model instance's cost
    (an import makes a million of them)."""

    user_id: int
    source: str
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


@dataclass
class StoreResult:
    imported: int = 0
    duplicates: int = 0
    matched: int = 0
    unmatched: int = 0
    listens: list[Listen] = field(default_factory=list)


def _counted(source: str, played_ms: int | None, duration_ms: int | None) -> bool:
    """Scrobbles and exported scrobbles count by definition. A Spotify row counts by Tonearm's
    rule when the track's duration is known, else at 30 s (Spotify's own definition)."""
    if source != ListenSource.SPOTIFY or played_ms is None:
        return True
    if duration_ms is None:
        return played_ms >= COUNTED_MIN_DURATION_SECONDS * 1000
    return is_counted_listen(duration=duration_ms / 1000, played_seconds=played_ms / 1000)


def listen_from_row(*, user, source: str, row: Row, index: CatalogIndex) -> Listen:
    artist_key, title_key = matching.artist_key(row.artist), matching.title_key(row.title)
    album_key = matching.album_key(row.album)
    track_id = index.match(artist_key, title_key, album_key=album_key, duration_ms=row.duration_ms)
    duration = row.duration_ms
    if duration is None and track_id is not None:
        duration = index.durations.get(track_id)
    return Listen(
        user_id=user.pk,
        source=source,
        listened_at=row.listened_at,
        artist=row.artist,
        title=row.title,
        album=row.album,
        artist_key=artist_key,
        title_key=title_key,
        album_key=album_key,
        track_id=track_id,
        matched=track_id is not None,
        duration_ms=duration,
        played_ms=row.played_ms,
        counted=_counted(source, row.played_ms, duration),
    )


_COLUMNS = (
    "user",
    "source",
    "listened_at",
    "artist",
    "title",
    "album",
    "artist_key",
    "title_key",
    "album_key",
    "track",
    "matched",
    "duration_ms",
    "played_ms",
    "counted",
)


def _values(listen: Listen) -> tuple:
    return (
        listen.user_id,
        listen.source,
        listen.listened_at,
        listen.artist,
        listen.title,
        listen.album,
        listen.artist_key,
        listen.title_key,
        listen.album_key,
        listen.track_id,
        listen.matched,
        listen.duration_ms,
        listen.played_ms,
        listen.counted,
    )


def listens_store(*, user, source: str, rows: Sequence[Row], index: CatalogIndex) -> StoreResult:
    """Store the rows not already stored (the same listener, source, time, artist and title)
    and count them in the insights rollups. Nothing stored is changed. Runs in one transaction,
    under a lock on the listener, so two writers of one listener never race on a listen."""
    result = StoreResult()
    if not rows:
        return result
    with transaction.atomic():
        # Serialises one listener's writers (imports, scrobbles): the de-duplication below
        # reads what is stored, then inserts.
        get_user_model().objects.select_for_update().filter(pk=user.pk).values("pk").first()
        candidates: dict[tuple, Listen] = {}
        for row in rows:
            listen = listen_from_row(user=user, source=source, row=row, index=index)
            key = (listen.listened_at, listen.artist_key, listen.title_key)
            if key in candidates:
                result.duplicates += 1
            else:
                candidates[key] = listen
        times = [key[0] for key in candidates]
        stored = set(
            ExternalListen.objects.filter(
                user=user, source=source, listened_at__gte=min(times), listened_at__lte=max(times)
            ).values_list("listened_at", "artist_key", "title_key")
        )
        fresh = [listen for key, listen in candidates.items() if key not in stored]
        result.duplicates += len(candidates) - len(fresh)
        bulk.insert_rows(ExternalListen, _COLUMNS, [_values(listen) for listen in fresh])
        insights_record_external_listens(listens=fresh)
    result.imported = len(fresh)
    result.matched = sum(1 for listen in fresh if listen.matched)
    result.unmatched = result.imported - result.matched
    result.listens = fresh
    return result
