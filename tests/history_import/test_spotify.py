"""Spotify's extended streaming history and its account-data history, imported."""

import pytest

from core.library.models import ExternalListen
from tests.history_import import files
from tests.history_import.conftest import imported

pytestmark = pytest.mark.django_db


def test_extended_history_rows_are_matched_counted_and_skipped_by_rule(alice_client, queen):
    rows = [
        files.spotify_extended_row(end=files.at(10), ms_played=200_000),  # over half of 354 s
        files.spotify_extended_row(end=files.at(20), ms_played=60_000),  # under half
        files.spotify_extended_row(
            end=files.at(30), ms_played=45_000, artist="Nobody Known", title="Song"
        ),
        files.spotify_extended_row(
            end=files.at(40), ms_played=10_000, artist="Nobody Known", title="Other"
        ),
        files.spotify_extended_row(end=files.at(50), ms_played=900_000, episode="Episode 1"),
        files.spotify_extended_row(
            end=files.at(60), ms_played=900_000, audiobook="A Book", title=None, artist=None
        ),
    ]

    job = imported(alice_client, files.json_bytes(rows), filename="Streaming_History_Audio_1.json")

    assert job.status == "done", job.failure_reason
    assert job.format == "spotify_extended"
    assert (job.rows_total, job.rows_done, job.imported) == (6, 6, 4)
    assert (job.matched, job.unmatched, job.skipped) == (2, 2, 2)
    assert job.skipped_reasons == {"podcast episode": 1, "audiobook": 1}
    listens = {(x.title, x.played_ms): x for x in ExternalListen.objects.all()}
    assert listens[("Bohemian Rhapsody", 200_000)].counted is True
    assert listens[("Bohemian Rhapsody", 200_000)].track == queen
    assert listens[("Bohemian Rhapsody", 60_000)].counted is False
    assert listens[("Song", 45_000)].counted is True  # unknown duration: 30 s, as Spotify counts
    assert listens[("Other", 10_000)].counted is False
    assert {x.source for x in listens.values()} == {"spotify"}


def test_a_listen_starts_when_spotify_says_it_ended_minus_the_time_played(alice_client, queen):
    row = files.spotify_extended_row(end=files.at(10), ms_played=200_000)

    imported(alice_client, files.json_bytes([row]))

    listen = ExternalListen.objects.get()
    assert (files.at(10) - listen.listened_at).total_seconds() == 200


def test_ip_addresses_countries_and_platforms_are_not_stored(alice_client, queen):
    row = files.spotify_extended_row(end=files.at(10), ms_played=200_000)

    imported(alice_client, files.json_bytes([row]))

    stored = ExternalListen.objects.values().get()
    text = repr(stored)
    assert "203.0.113.7" not in text and "SE" not in stored.values() and "android" not in text


def test_account_data_history_is_imported(alice_client, queen):
    rows = [
        files.spotify_account_row(
            end=files.at(10), ms_played=300_000, artist="Queen", title="Bohemian Rhapsody"
        ),
        files.spotify_account_row(
            end=files.at(20), ms_played=31_000, artist="Someone", title="Else"
        ),
    ]

    job = imported(alice_client, files.json_bytes(rows), filename="StreamingHistory_music_0.json")

    assert (job.status, job.format, job.imported, job.matched) == (
        "done",
        "spotify_account",
        2,
        1,
    )
    assert ExternalListen.objects.filter(counted=True).count() == 2


def test_a_zip_of_spotify_files_is_read_member_by_member(alice_client, queen):
    first = [files.spotify_extended_row(end=files.at(10), ms_played=200_000)]
    second = [files.spotify_extended_row(end=files.at(20), ms_played=200_000)]
    data = files.zipped(
        {
            "Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf": b"%PDF",
            "Spotify Extended Streaming History/Streaming_History_Audio_2019.json": (
                files.json_bytes(first)
            ),
            "Spotify Extended Streaming History/Streaming_History_Audio_2020.json": (
                files.json_bytes(second)
            ),
        }
    )

    job = imported(alice_client, data, filename="my_spotify_data.zip")

    assert (job.status, job.imported, job.rows_total) == ("done", 2, 2)


def test_importing_the_same_file_again_adds_nothing(alice_client, queen):
    data = files.json_bytes(
        [files.spotify_extended_row(end=files.at(m), ms_played=200_000) for m in range(0, 50, 10)]
    )
    imported(alice_client, data)

    again = imported(alice_client, data)

    assert (again.status, again.imported, again.duplicates) == ("done", 0, 5)
    assert ExternalListen.objects.count() == 5
