"""Last.fm (CSV and getRecentTracks pages) and ListenBrainz (JSON lines and arrays) files."""

import pytest

from core.library.models import ExternalListen
from tests.history_import import files
from tests.history_import.conftest import imported

pytestmark = pytest.mark.django_db


def test_lastfm_csv_rows_are_scrobbles_that_count(alice_client, queen):
    data = files.lastfm_csv(
        [
            ("Queen", "A Night at the Opera", "Bohemian Rhapsody", files.at(0)),
            ("Café Tacvba", "Re", "La Ingrata", files.at(5)),
        ]
    )

    job = imported(alice_client, data, filename="scrobbles.csv")

    assert (job.status, job.format, job.imported, job.matched) == ("done", "lastfm_csv", 2, 1)
    listens = ExternalListen.objects.order_by("listened_at")
    assert [x.source for x in listens] == ["lastfm", "lastfm"]
    assert all(x.counted for x in listens)
    assert listens[1].artist == "Café Tacvba" and listens[1].album == "Re"


def test_a_csv_with_a_header_row_is_read_by_its_column_names(alice_client):
    data = (
        "uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid\n"
        f"{int(files.at(0).timestamp())},01 Mar 2024 12:00,Ada,,First,,One,\n"
    ).encode()

    job = imported(alice_client, data, filename="lastfmstats.csv")

    listen = ExternalListen.objects.get()
    assert (job.imported, listen.artist, listen.title, listen.album) == (1, "Ada", "One", "First")
    assert listen.listened_at == files.at(0)


def test_recent_tracks_pages_skip_what_is_playing_now(alice_client):
    pages = [
        files.lastfm_page(
            [
                files.lastfm_track(artist="Ada", title="Now", album="X", at=None),
                files.lastfm_track(artist="Ada", title="One", album="X", at=files.at(0)),
            ],
            page=1,
            pages=2,
        ),
        files.lastfm_page(
            [files.lastfm_track(artist="Bix", title="Two", album="", at=files.at(-5))],
            page=2,
            pages=2,
        ),
    ]

    job = imported(alice_client, files.json_bytes(pages))

    assert (job.status, job.format, job.imported, job.skipped) == ("done", "lastfm_json", 2, 0)
    assert (job.rows_total, job.rows_done) == (2, 2)  # what is playing now is no row
    assert sorted(ExternalListen.objects.values_list("title", flat=True)) == ["One", "Two"]


def test_a_single_recent_tracks_page_is_read_too(alice_client):
    page = files.lastfm_page(
        [files.lastfm_track(artist="Ada", title="One", album="", at=files.at(0))]
    )

    job = imported(alice_client, files.json_bytes(page))

    assert (job.format, job.imported) == ("lastfm_json", 1)


def test_lastfm_csv_and_json_of_the_same_scrobbles_are_duplicates(alice_client):
    imported(
        alice_client, files.lastfm_csv([("Ada", "First", "One", files.at(0))]), filename="a.csv"
    )
    page = files.lastfm_page(
        [
            files.lastfm_track(artist="ada", title="ONE", album="First", at=files.at(0)),
            files.lastfm_track(artist="Ada", title="Two", album="First", at=files.at(3)),
        ]
    )

    job = imported(alice_client, files.json_bytes(page))

    assert (job.imported, job.duplicates) == (1, 1)
    assert ExternalListen.objects.count() == 2


def test_listenbrainz_json_lines_keep_release_and_duration(alice_client, queen):
    data = files.json_lines(
        [
            files.listenbrainz_listen(
                artist="Queen",
                title="Bohemian Rhapsody - Remastered 2011",
                album="A Night at the Opera",
                at=files.at(0),
                duration_ms=354_000,
            ),
            files.listenbrainz_listen(artist="Ada", title="One", at=files.at(5)),
        ]
    )

    job = imported(
        alice_client, data, filename="listens.jsonl", content_type="application/x-ndjson"
    )

    assert (job.status, job.format, job.imported, job.matched) == ("done", "listenbrainz", 2, 1)
    matched = ExternalListen.objects.get(track=queen)
    assert (matched.source, matched.duration_ms, matched.counted) == ("listenbrainz", 354_000, True)


def test_listenbrainz_json_array_is_read(alice_client):
    data = files.json_bytes(
        [files.listenbrainz_listen(artist="Ada", title=f"T{i}", at=files.at(i)) for i in range(3)]
    )

    job = imported(alice_client, data)

    assert (job.format, job.imported) == ("listenbrainz", 3)


def test_listenbrainz_zip_export_of_monthly_files_is_read(alice_client):
    data = files.zipped(
        {
            "user.json": b'{"user_id": 1, "username": "someone"}',
            "listens/2024/3.jsonl": files.json_lines(
                [files.listenbrainz_listen(artist="Ada", title="One", at=files.at(0))]
            ),
            "listens/2024/4.jsonl": files.json_lines(
                [files.listenbrainz_listen(artist="Ada", title="Two", at=files.at(60 * 24 * 31))]
            ),
        }
    )

    job = imported(alice_client, data, filename="listenbrainz_someone.zip")

    assert (job.status, job.imported) == ("done", 2)


def test_the_format_is_told_by_content_not_by_file_name(alice_client):
    data = files.lastfm_csv([("Ada", "First", "One", files.at(0))])

    job = imported(alice_client, data, filename="Streaming_History_Audio_1.json")

    assert job.format == "lastfm_csv"
