"""GET /api/tracks/?lyrics=: a line of the lyrics finds its track (PostgreSQL full-text
phrase search with an index; a substring match on SQLite)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.catalog import querysets
from core.catalog.models import Track, TrackStatus
from core.lyrics.models import LyricsSource, TrackLyrics
from core.lyrics.selectors import tracks_matching_lyrics
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def songs(db):
    def song(words: str, **fields):
        track = factories.TrackFactory(**fields)
        TrackLyrics.objects.create(track=track, plain=words, source=LyricsSource.EDITED)
        return track

    return {
        "river": song("Down by the river\nwe sang until the morning light"),
        "city": song("Lights of the city\nthe morning comes too soon"),
        "hidden": song("Down by the river, hidden", is_hidden=True),
    }


def found(client, phrase: str) -> set[int]:
    response = client.get("/api/tracks/", {"lyrics": phrase})
    assert response.status_code == 200, response.json()
    return {track["id"] for track in response.json()["results"]}


def test_a_line_finds_its_track_in_any_case(api_client, songs):
    assert found(api_client, "we SANG until the morning") == {songs["river"].pk}


def test_words_out_of_order_do_not_match_a_phrase(api_client, songs):
    assert found(api_client, "morning the until") == set()


def test_hidden_tracks_are_not_found_by_listeners(api_client, moderator_client, songs):
    assert found(api_client, "down by the river") == {songs["river"].pk}
    assert found(moderator_client, "down by the river") == {
        songs["river"].pk,
        songs["hidden"].pk,
    }


def test_several_matches_come_newest_first_with_their_count(api_client, songs):
    newer = factories.TrackFactory()
    TrackLyrics.objects.create(
        track=newer, plain="the morning light again", source=LyricsSource.EDITED
    )

    response = api_client.get("/api/tracks/", {"lyrics": "the morning"})

    assert [track["id"] for track in response.json()["results"]] == [
        newer.pk,
        songs["city"].pk,
        songs["river"].pk,
    ]
    assert response.json()["count"] == 3


@pytest.mark.parametrize("inline_ids", [0, 1, 1000], ids=["subquery", "one", "many"])
def test_the_same_tracks_in_the_same_order_however_many_match(
    api_client, songs, monkeypatch, inline_ids
):
    """The matching ids are given to the list as constants up to a limit, and looked up by
    the list's own statements beyond it: the page is the same either way."""
    monkeypatch.setattr(querysets, "SEARCH_INLINE_IDS", inline_ids)

    response = api_client.get("/api/tracks/", {"lyrics": "the morning", "page_size": 1})

    assert [track["id"] for track in response.json()["results"]] == [songs["city"].pk]
    assert response.json()["count"] == 2


@pytest.mark.parametrize("page_size", [1, 50])
def test_a_phrase_is_searched_once_per_request(api_client, songs, page_size):
    """One statement reads the matching ids; the count, the page and the genres then look up
    those ids instead of searching the lyrics again (a search of 10^6 tracks costs more than
    the rest of the request)."""
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get("/api/tracks/", {"lyrics": "the morning", "page_size": page_size})

    assert response.json()["count"] == 2
    statements = [query["sql"] for query in queries.captured_queries]
    # the catalog version, then the ids, the count, the page, the page's genres
    assert len(statements) == 5
    assert sum("core_tracklyrics" in sql for sql in statements) == 1


@pytest.fixture
def catalog_with_lyrics(songs):
    """Enough lyrics, all different, that reading every row costs more than the index, and
    fresh statistics, as a real catalog has (a table of three rows is read whole)."""
    artist, uploader = factories.ArtistFactory(), factories.UploaderFactory()
    tracks = Track.objects.bulk_create(
        Track(
            title=f"Filler {n}",
            artist=artist,
            storage_key=f"audio/filler-{n}.mp3",
            size=1,
            content_type="audio/mpeg",
            status=TrackStatus.READY,
            uploaded_by=uploader,
        )
        for n in range(2000)
    )
    TrackLyrics.objects.bulk_create(
        TrackLyrics(track=track, plain=f"verse {n} of song {n}", source=LyricsSource.TAGS)
        for n, track in enumerate(tracks)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_tracklyrics, core_track")


def test_the_phrase_search_uses_the_full_text_index(catalog_with_lyrics):
    with CaptureQueriesContext(connection) as queries:
        tracks_matching_lyrics(Track.objects.all(), "the river")
    (search,) = [query["sql"] for query in queries.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {search}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "core_tracklyrics_document_idx" in plan


def test_the_sqlite_fallback_matches_a_substring(api_client, songs, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert found(api_client, "sang until the") == {songs["river"].pk}
    assert found(api_client, "nothing like this") == set()


def test_the_lyrics_benchmark_rebuilds_the_index_the_migration_made():
    from bench.lyrics import _index_statement

    assert 'INDEX IF NOT EXISTS "core_tracklyrics_document_idx"' in _index_statement()
