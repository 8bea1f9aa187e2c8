"""Malformed rows are skipped and reported; a file unreadable as a whole fails and writes
nothing."""

import json

import pytest

from core.history_import.formats import LINE_MAX
from core.library.models import ExternalListen
from tests.history_import import files
from tests.history_import.conftest import imported

pytestmark = pytest.mark.django_db


def test_malformed_rows_are_skipped_with_their_reasons_and_the_rest_imported(alice_client):
    good = files.listenbrainz_listen(artist="Ada", title="One", at=files.at(0))
    no_artist = files.listenbrainz_listen(artist="", title="Two", at=files.at(1))
    bad_time = files.listenbrainz_listen(artist="Ada", title="Three", at=files.at(2))
    bad_time["listened_at"] = "yesterday"
    data = files.json_lines([good, no_artist]) + b"{not json\n" + files.json_lines([bad_time])

    job = imported(alice_client, data, filename="listens.jsonl")

    assert (job.status, job.imported, job.skipped, job.rows_total) == ("done", 1, 3, 4)
    assert job.skipped_reasons == {
        "missing artist_name": 1,
        "malformed JSON line": 1,
        "time is not a Unix timestamp": 1,
    }
    assert job.skipped_examples == [
        {"row": 2, "reason": "missing artist_name"},
        {"row": 3, "reason": "malformed JSON line"},
        {"row": 4, "reason": "time is not a Unix timestamp"},
    ]


def test_a_csv_row_with_an_unreadable_date_is_skipped(alice_client):
    data = b"Ada,First,One,01 Mar 2024 12:00\nAda,First,Two,someday\nAda,First\n"

    job = imported(alice_client, data, filename="scrobbles.csv")

    assert (job.imported, job.skipped) == (1, 2)
    assert job.skipped_reasons == {"unreadable time": 1, "too few columns": 1}


def test_a_truncated_json_file_fails_and_writes_nothing(alice_client):
    rows = [files.spotify_extended_row(end=files.at(m), ms_played=60_000) for m in range(20)]
    data = files.json_bytes(rows)
    data = data[: len(data) * 2 // 3]

    job = imported(alice_client, data)

    assert job.status == "failed"
    assert job.failure_reason == "The file is cut short or is not valid JSON."
    assert ExternalListen.objects.count() == 0


def test_an_empty_file_fails_with_its_reason(alice_client):
    job = imported(alice_client, b"  \n", filename="empty.json")

    assert (job.status, job.failure_reason) == ("failed", "The file is empty.")


@pytest.mark.parametrize(
    "data",
    [
        b"just some words\nand more\n",
        json.dumps({"playlists": [{"name": "x"}]}).encode(),
        json.dumps([{"name": "x", "items": []}]).encode(),
        b"\x89PNG\r\n\x1a\n\x00\x00",
    ],
)
def test_a_file_of_another_kind_fails_and_writes_nothing(alice_client, data):
    job = imported(alice_client, data, filename="history.json")

    assert job.status == "failed"
    assert "not a listening history" in job.failure_reason
    assert ExternalListen.objects.count() == 0


def test_a_damaged_zip_fails(alice_client):
    data = files.zipped({"a.json": files.json_bytes([])})[:-30]

    job = imported(alice_client, data, filename="export.zip")

    assert (job.status, job.failure_reason) == ("failed", "The zip file is damaged.")


def test_a_zip_without_history_fails(alice_client):
    job = imported(alice_client, files.zipped({"notes.txt": b"hello"}), filename="export.zip")

    assert job.failure_reason == "The zip holds no listening history Tonearm can read."


def test_a_file_that_is_not_utf8_fails(alice_client):
    data = "Ada,First,One,01 Mar 2024 12:00\n".encode("utf-16")

    job = imported(alice_client, data, filename="scrobbles.csv")

    assert job.status == "failed"
    assert ExternalListen.objects.count() == 0


def test_a_huge_row_is_skipped_without_being_held(alice_client):
    huge = files.listenbrainz_listen(artist="Ada", title="x" * (LINE_MAX + 10), at=files.at(0))
    data = files.json_lines(
        [huge, files.listenbrainz_listen(artist="Ada", title="One", at=files.at(1))]
    )

    job = imported(alice_client, data, filename="listens.jsonl")

    assert (job.status, job.imported, job.skipped) == ("done", 1, 1)
    assert job.skipped_reasons == {f"row longer than {LINE_MAX} characters": 1}


def test_a_name_longer_than_the_field_is_skipped(alice_client):
    row = files.spotify_extended_row(end=files.at(0), ms_played=60_000, title="y" * 501)

    job = imported(alice_client, files.json_bytes([row]))

    assert (job.imported, job.skipped_reasons) == (0, {"track name longer than 500 characters": 1})


def test_times_before_2002_or_in_the_future_are_skipped(alice_client):
    old = files.listenbrainz_listen(artist="Ada", title="Old", at=files.at(0))
    old["listened_at"] = 1_000_000_000
    future = files.listenbrainz_listen(artist="Ada", title="Future", at=files.at(0))
    future["listened_at"] = 4_000_000_000

    job = imported(alice_client, files.json_lines([old, future]), filename="l.jsonl")

    assert job.skipped_reasons == {"time before 2002-10-01": 1, "time in the future": 1}
