"""Reads of lyrics, and the lyric search behind GET /api/tracks/?lyrics=."""

from django.db import connections, models

from core.api.errors import NotFound
from core.catalog.models import Track
from core.catalog.querysets import id_in, matching_ids
from core.lyrics.models import TrackLyrics

MAX_QUERY_CHARS = 200


def lyrics_get(*, user, track_id: int) -> TrackLyrics:
    """The lyrics of a track `user` may see; 404 when the track is not visible or has none."""
    lyrics = TrackLyrics.objects.filter(
        track__in=Track.objects.visible_to(user), track_id=track_id
    ).first()
    if lyrics is None:
        raise NotFound("No lyrics for this track.")
    return lyrics


def tracks_matching_lyrics(tracks: models.QuerySet, phrase: str) -> models.QuerySet:
    """`tracks` whose lyrics contain `phrase`: its words in order, in any case, by PostgreSQL's
    full-text search on the stored `document` (GIN index, core migration 0021); a substring
    match on SQLite.

    On PostgreSQL the matching tracks' ids are read first, in a statement of their own, and
    given to the list as constants (up to SEARCH_INLINE_IDS of them; beyond, the list searches
    itself): the phrase is then searched once per request, not again for the count and again
    for the page, and the list's plan is a look-up of a few ids (docs/benchmarks.md)."""
    phrase = " ".join(phrase.split())[:MAX_QUERY_CHARS]
    if not phrase:
        return tracks
    lyrics = TrackLyrics.objects.all()
    if connections[tracks.db].vendor != "postgresql":
        return tracks.filter(pk__in=lyrics.filter(plain__icontains=phrase).values("track_id"))

    from django.contrib.postgres.search import SearchQuery

    matching = lyrics.filter(
        document=SearchQuery(phrase, search_type="phrase", config="simple")
    ).values("track_id")
    (ids,) = matching_ids(tracks.db, matching)
    return tracks.filter(id_in("pk", ids, matching))
