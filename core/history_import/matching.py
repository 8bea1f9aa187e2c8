"""Matching listens heard elsewhere to catalog tracks by their normalised names
(core.library.matching), with the album and the duration to break ties."""

import time
from dataclasses import dataclass

from core.catalog.models import Track
from core.library import matching

# A scrobble request reuses the index this long; an import builds its own once.
INDEX_MAX_AGE_SECONDS = 60.0


@dataclass(frozen=True)
class Candidate:
    track_id: int
    album_key: str
    duration_ms: int | None


class CatalogIndex:
    """Every playable track by (artist key, title key), read in one streamed query."""

    def __init__(self) -> None:
        self._tracks: dict[tuple[str, str], list[Candidate]] = {}
        rows = Track.objects.playable().values_list(
            "pk", "title", "artist__name", "album__title", "duration"
        )
        for pk, title, artist, album, duration in rows.iterator(chunk_size=5000):
            key = (matching.artist_key(artist), matching.title_key(title))
            self._tracks.setdefault(key, []).append(
                Candidate(
                    track_id=pk,
                    album_key=matching.album_key(album or ""),
                    duration_ms=None if duration is None else round(duration * 1000),
                )
            )
        self.durations = {
            c.track_id: c.duration_ms for found in self._tracks.values() for c in found
        }

    def match(
        self,
        artist_key: str,
        title_key: str,
        *,
        album_key: str = "",
        duration_ms: int | None = None,
    ) -> int | None:
        """The catalog track these names are, or None. Among several, the one on the same
        album, then the one closest in duration, then the oldest."""
        found = self._tracks.get((artist_key, title_key))
        if not found:
            return None

        def rank(candidate: Candidate) -> tuple:
            same_album = bool(album_key) and candidate.album_key == album_key
            gap = (
                abs(candidate.duration_ms - duration_ms)
                if duration_ms is not None and candidate.duration_ms is not None
                else float("inf")
            )
            return (not same_album, gap, candidate.track_id)

        return min(found, key=rank).track_id


_shared: tuple[float, CatalogIndex] | None = None


def shared_index() -> CatalogIndex:
    """A per-process index at most INDEX_MAX_AGE_SECONDS old, for scrobbles."""
    global _shared
    now = time.monotonic()
    if _shared is None or now - _shared[0] > INDEX_MAX_AGE_SECONDS:
        _shared = (now, CatalogIndex())
    return _shared[1]


def forget_shared_index() -> None:
    global _shared
    _shared = None
