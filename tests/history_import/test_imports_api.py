"""The imports API: slots, starting an import, and one's own imports only."""

import pytest

from core.history_import.models import HistoryImport
from core.uploads.models import Upload
from tests.catalog.uploading import put_bytes
from tests.history_import import files
from tests.history_import.conftest import imported, start_import

pytestmark = pytest.mark.django_db

SLOT = "/api/imports/presigned_upload/"


def test_a_listener_gets_an_upload_slot_under_imports(alice, alice_client):
    response = alice_client.post(
        SLOT, {"filename": "my_spotify_data.zip", "content_type": "application/zip", "size": 10}
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"upload_id", "key", "method", "url", "headers", "expires_at", "multipart"}
    assert body["key"].startswith("imports/") and body["key"].endswith(".zip")
    assert Upload.objects.get(pk=body["upload_id"]).user == alice


@pytest.mark.parametrize(
    ("content_type", "size", "field"),
    [
        ("audio/mpeg", 10, "content_type"),
        ("text/html", 10, "content_type"),
        ("text/csv", 0, "size"),
    ],
)
def test_a_slot_for_another_type_or_an_empty_file_is_refused(
    alice_client, content_type, size, field
):
    response = alice_client.post(
        SLOT, {"filename": "x", "content_type": content_type, "size": size}
    )

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_a_slot_over_the_import_limit_is_refused(alice_client, settings):
    settings.IMPORT_MAX_BYTES = 100

    response = alice_client.post(
        SLOT, {"filename": "x.json", "content_type": "application/json", "size": 101}
    )

    assert response.status_code == 400
    assert "100 bytes" in response.json()["fields"]["size"][0]


def test_starting_an_import_answers_202_with_its_id_and_status(alice, alice_client):
    response = start_import(alice_client, files.json_bytes([]))

    assert response.status_code == 202
    assert response.json() == {"id": response.json()["id"], "status": "queued"}
    assert HistoryImport.objects.get(pk=response.json()["id"]).user == alice


def test_an_import_of_a_slot_never_filled_is_refused(alice_client):
    slot = alice_client.post(
        SLOT, {"filename": "x.json", "content_type": "application/json", "size": 10}
    ).json()

    response = alice_client.post("/api/imports/", {"upload_id": slot["upload_id"]})

    assert response.status_code == 400
    assert response.json()["code"] == "no_object_uploaded"


def test_an_upload_is_imported_once(alice_client):
    data = files.json_bytes([])
    slot = alice_client.post(
        SLOT, {"filename": "x.json", "content_type": "application/json", "size": len(data)}
    ).json()
    put_bytes(slot, data)
    assert alice_client.post("/api/imports/", {"upload_id": slot["upload_id"]}).status_code == 202

    again = alice_client.post("/api/imports/", {"upload_id": slot["upload_id"]})

    assert again.status_code == 400
    assert again.json()["code"] == "already_registered"


def test_nobody_imports_another_listeners_upload(alice_client, bob_client):
    data = files.json_bytes([])
    slot = alice_client.post(
        SLOT, {"filename": "x.json", "content_type": "application/json", "size": len(data)}
    ).json()
    put_bytes(slot, data)

    response = bob_client.post("/api/imports/", {"upload_id": slot["upload_id"]})

    assert response.status_code == 404


def test_an_audio_upload_slot_cannot_be_imported(uploader_client):
    from tests.catalog.uploading import upload

    slot = upload(uploader_client)

    response = uploader_client.post("/api/imports/", {"upload_id": slot["upload_id"]})

    assert response.status_code == 404


def test_an_import_slot_cannot_be_registered_as_a_track(uploader_client):
    data = files.json_bytes([])
    slot = uploader_client.post(
        SLOT, {"filename": "x.json", "content_type": "application/json", "size": len(data)}
    ).json()
    put_bytes(slot, data)

    response = uploader_client.post(
        "/api/tracks/", {"upload_id": slot["upload_id"], "title": "T", "artist": "A"}
    )

    assert response.status_code == 404


def test_an_import_shows_its_counts_and_progress(alice_client):
    data = (
        files.json_lines([files.listenbrainz_listen(artist="Ada", title="One", at=files.at(0))])
        + b"oops\n"
    )
    job = imported(alice_client, data, filename="l.jsonl")

    body = alice_client.get(f"/api/imports/{job.pk}/").json()

    assert body == {
        "id": job.pk,
        "status": "done",
        "filename": "l.jsonl",
        "format": "listenbrainz",
        "failure_reason": "",
        "rows_total": 2,
        "rows_read": 2,
        "imported": 1,
        "duplicates": 0,
        "matched": 0,
        "unmatched": 1,
        "skipped": 1,
        "skipped_reasons": {"malformed JSON line": 1},
        "skipped_examples": [{"row": 2, "reason": "malformed JSON line"}],
        "progress": 1.0,
        "created_at": body["created_at"],
        "started_at": body["started_at"],
        "finished_at": body["finished_at"],
    }


def test_the_list_holds_ones_own_imports_only(alice_client, bob_client):
    mine = start_import(alice_client, files.json_bytes([])).json()["id"]
    start_import(bob_client, files.json_bytes([]))

    body = alice_client.get("/api/imports/").json()

    assert [entry["id"] for entry in body["results"]] == [mine]


def test_another_listeners_import_is_not_found(alice_client, bob_client):
    job_id = start_import(alice_client, files.json_bytes([])).json()["id"]

    assert bob_client.get(f"/api/imports/{job_id}/").status_code == 404
    assert alice_client.get(f"/api/imports/{job_id}/").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", SLOT),
        ("post", "/api/imports/"),
        ("get", "/api/imports/"),
        ("get", "/api/imports/1/"),
    ],
)
def test_anonymous_callers_are_refused(api_client, method, path):
    assert getattr(api_client, method)(path).status_code == 401


@pytest.mark.parametrize("data", [files.json_bytes([]), b"not a history at all"])
def test_the_uploaded_file_is_deleted_once_its_import_ended(alice_client, data):
    from media_pipeline.storage import ObjectNotFound, get_storage

    job = imported(alice_client, data, filename="h.json")

    assert job.status in ("done", "failed")
    with pytest.raises(ObjectNotFound):
        get_storage().head(job.upload.key)
