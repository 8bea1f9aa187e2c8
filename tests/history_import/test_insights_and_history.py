"""Imported listens in one's history and statistics; charts stay with catalog tracks."""

from datetime import UTC, datetime, timedelta

import pytest

from core.insights.rebuild import rebuild_insights
from core.library.models import ExternalListen
from tests.history_import import files
from tests.history_import.conftest import imported
from tests.insights.conftest import listen
from tests.insights.test_rollups import snapshot

pytestmark = pytest.mark.django_db


def _recent(minutes: int) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2, minutes=minutes)


def _import_mixed(client) -> None:
    """Two listens of a catalog track, three of a song the catalog lacks (its artist spelt
    three ways)."""
    data = files.json_lines(
        [
            files.listenbrainz_listen(
                artist="Queen", title="Bohemian Rhapsody", at=_recent(1), duration_ms=354_000
            ),
            files.listenbrainz_listen(artist="Queen", title="Bohemian Rhapsody", at=_recent(30)),
            files.listenbrainz_listen(
                artist="Nobody", title="Song", album="Demo", at=_recent(60), duration_ms=200_000
            ),
            files.listenbrainz_listen(artist="NOBODY", title="Song", at=_recent(90)),
            files.listenbrainz_listen(
                artist="Nobody feat. Else", title="Song (Live)", at=_recent(120)
            ),
        ]
    )
    job = imported(client, data, filename="l.jsonl")
    assert (job.imported, job.matched) == (5, 2)


def test_personal_statistics_count_imported_listens_matched_or_not(alice_client, queen):
    _import_mixed(alice_client)

    body = alice_client.get("/api/me/stats/", {"period": "all"}).json()

    assert body["totals"]["listens"] == 5
    artists = [(a["artist"]["name"], a["count"]) for a in body["top"]["artists"]]
    assert artists == [("Nobody", 3), ("Queen", 2)]
    tracks = body["top"]["tracks"]
    assert [(t["track"]["title"], t["count"]) for t in tracks] == [
        ("Song", 3),
        ("Bohemian Rhapsody", 2),
    ]
    assert tracks[0]["track"]["playable"] is False
    assert tracks[0]["track"]["id"] < 0
    assert tracks[1]["track"]["id"] == queen.pk


def test_charts_count_catalog_tracks_only(alice_client, api_client, queen):
    _import_mixed(alice_client)

    tracks = api_client.get("/api/charts/tracks/", {"period": "all"}).json()["results"]
    artists = api_client.get("/api/charts/artists/", {"period": "all"}).json()["results"]

    assert [(e["track"]["id"], e["count"]) for e in tracks] == [(queen.pk, 2)]
    assert [e["artist"]["name"] for e in artists] == ["Queen"]


def test_a_matched_listen_counts_on_the_tracks_listen_count(alice_client, queen):
    _import_mixed(alice_client)

    queen.refresh_from_db()
    assert queen.listen_count == 2


def test_the_rebuild_equals_the_incremental_rollups_with_imported_listens(
    alice, alice_client, bob, queen
):
    listen(alice, queen, _recent(200))
    listen(bob, queen, _recent(210))
    _import_mixed(alice_client)
    incremental = snapshot()

    rebuild_insights()

    assert snapshot() == incremental


def test_history_lists_imported_entries_with_their_source(alice, alice_client, queen):
    listen(alice, queen, _recent(0))
    _import_mixed(alice_client)

    results = alice_client.get("/api/history/").json()["results"]

    assert [e["source"] for e in results] == ["tonearm"] + ["listenbrainz"] * 5
    streamed, matched, unmatched = results[0], results[1], results[3]
    assert streamed["play_id"] is not None and streamed["external"] is None
    assert matched["track"]["id"] == queen.pk and matched["play_id"] is None
    assert matched["external"] is None
    assert unmatched["track"] is None
    assert unmatched["external"] == {"artist": "Nobody", "title": "Song", "album": "Demo"}
    assert unmatched["counted"] is True


def test_the_history_cursor_walks_streams_and_imports_together(alice, alice_client, queen):
    for minutes in (5, 45, 95):
        listen(alice, queen, _recent(minutes))
    _import_mixed(alice_client)

    seen, url = [], "/api/history/?page_size=3"
    while url:
        body = alice_client.get(url).json()
        seen += [(e["source"], e["started_at"]) for e in body["results"]]
        url = body["next"]

    assert len(seen) == 8 == len(set(seen))
    assert [at for _, at in seen] == sorted((at for _, at in seen), reverse=True)


def test_someone_elses_imports_stay_out_of_ones_history(alice_client, bob_client, queen):
    _import_mixed(alice_client)

    assert bob_client.get("/api/history/").json()["results"] == []


def test_clearing_the_history_deletes_imported_listens_and_their_statistics(alice_client, queen):
    _import_mixed(alice_client)

    response = alice_client.delete("/api/history/")

    assert response.json() == {"deleted": 5}
    assert ExternalListen.objects.count() == 0
    body = alice_client.get("/api/me/stats/", {"period": "all"}).json()
    assert body["totals"]["listens"] == 0
    queen.refresh_from_db()
    assert queen.listen_count == 0


def test_a_deleted_tracks_imported_listens_stay_in_history_by_name(alice_client, queen):
    _import_mixed(alice_client)
    queen.delete()

    results = alice_client.get("/api/history/").json()["results"]
    body = alice_client.get("/api/me/stats/", {"period": "all"}).json()

    assert len(results) == 5
    assert results[0]["external"]["title"] == "Bohemian Rhapsody"
    assert body["totals"]["listens"] == 5


def test_the_rebuild_after_a_matched_track_was_deleted_counts_its_listens_once(alice_client, queen):
    _import_mixed(alice_client)
    queen.delete()
    before = snapshot()

    rebuild_insights()

    assert snapshot() == before
    body = alice_client.get("/api/me/stats/", {"period": "all"}).json()
    assert body["totals"]["listens"] == 5


def test_listeners_of_a_track_count_each_listener_once_across_imports(
    alice_client, bob_client, queen
):
    _import_mixed(alice_client)
    _import_mixed(bob_client)
    more = files.json_lines(
        [files.listenbrainz_listen(artist="Nobody", title="Song", at=_recent(500))]
    )
    imported(alice_client, more, filename="more.jsonl")
    incremental = snapshot()

    rebuild_insights()

    assert snapshot() == incremental
    song = [row for row in incremental["listened"] if row[1] == "Song"]
    assert [(row[4], row[5]) for row in song] == [(7, 2)]  # listens, listeners
