"""POST /api/uploads/{id}/complete/: the stored parts become the object, then a track."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from core.uploads.models import Upload, UploadStatus
from media_pipeline.storage import ObjectNotFound, StorageUnavailable, get_storage
from tests import factories
from tests.catalog.uploading import register
from tests.conftest import client_for
from tests.uploads.multipart_helpers import (
    BOGUS_ETAG,
    DATA,
    complete_url,
    new_upload,
    send_parts,
    start,
    use_small_parts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_parts(settings):
    use_small_parts(settings)


@pytest.fixture
def upload(uploader):
    return start(uploader)[0]


def complete(client, upload, parts):
    return client.post(complete_url(upload), {"parts": parts}, format="json")


def assert_refused(response, code: str, message: str | None = None) -> None:
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == code
    assert "parts" in body["fields"] or "upload_id" in body["fields"]
    if message:
        assert body["detail"] == message


def assert_still_resumable(upload) -> None:
    upload.refresh_from_db()
    assert (upload.status, upload.completed_at) == (UploadStatus.PENDING, None)
    assert len(get_storage().list_parts(upload.key, upload.multipart_id)) >= 1


def test_completion_assembles_every_byte_and_the_upload_registers(uploader_client, upload):
    parts = send_parts(uploader_client, upload)

    response = complete(uploader_client, upload, parts)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["state"], body["parts"]) == ("completed", [])
    assert body["completed_at"] is not None
    assert get_storage().head(upload.key).size == len(DATA)
    assert get_storage().read_range(upload.key, 0, len(DATA)) == DATA
    registered = register(uploader_client, str(upload.pk))
    assert registered.status_code == 201, registered.json()
    assert registered.json()["size"] == len(DATA)


def test_etags_may_be_sent_without_their_quotes(uploader_client, upload):
    parts = [{**p, "etag": p["etag"].strip('"')} for p in send_parts(uploader_client, upload)]

    assert complete(uploader_client, upload, parts).status_code == 200


def test_completing_again_returns_the_completed_upload(uploader_client, upload):
    parts = send_parts(uploader_client, upload)
    first = complete(uploader_client, upload, parts)

    again = complete(uploader_client, upload, parts)

    assert again.status_code == 200
    assert again.json() == first.json()


def test_a_completion_that_reached_storage_but_not_the_database_is_recorded(
    uploader_client, upload
):
    parts = send_parts(uploader_client, upload)
    get_storage().complete_multipart(
        upload.key, upload.multipart_id, [(p["part_number"], p["etag"]) for p in parts]
    )

    response = complete(uploader_client, upload, parts)

    assert response.status_code == 200
    assert response.json()["state"] == "completed"


def test_an_uncompleted_upload_cannot_be_registered(uploader_client, upload):
    send_parts(uploader_client, upload)

    response = register(uploader_client, str(upload.pk))

    assert response.status_code == 400
    assert response.json()["code"] == "no_object_uploaded"


def test_parts_out_of_order_are_refused_naming_them(uploader_client, upload):
    parts = send_parts(uploader_client, upload)

    response = complete(uploader_client, upload, [parts[1], parts[0], parts[2]])

    assert_refused(
        response,
        "invalid",
        "List the parts in ascending part_number order, each once: part 1 follows part 2.",
    )
    assert_still_resumable(upload)


def test_a_part_listed_twice_is_refused(uploader_client, upload):
    parts = send_parts(uploader_client, upload)

    response = complete(uploader_client, upload, [parts[0], parts[0], parts[1], parts[2]])

    assert_refused(
        response,
        "invalid",
        "List the parts in ascending part_number order, each once: part 1 follows part 1.",
    )


def test_missing_parts_are_named(uploader_client, upload):
    parts = send_parts(uploader_client, upload, numbers=(1, 2))

    response = complete(uploader_client, upload, parts)

    assert_refused(response, "missing_parts", "Parts missing: 3.")
    assert_still_resumable(upload)


def test_a_part_beyond_the_upload_is_refused(uploader_client, upload):
    parts = send_parts(uploader_client, upload)

    response = complete(uploader_client, upload, [*parts, {"part_number": 4, "etag": BOGUS_ETAG}])

    assert_refused(response, "invalid", "Part 4 is outside this upload's parts 1 to 3.")


def test_a_part_listed_but_never_stored_is_refused(uploader_client, upload):
    parts = send_parts(uploader_client, upload, numbers=(1, 2))

    response = complete(uploader_client, upload, [*parts, {"part_number": 3, "etag": BOGUS_ETAG}])

    assert_refused(response, "invalid_part")
    assert "Part 3 is not stored" in response.json()["detail"]
    assert_still_resumable(upload)


def test_a_part_of_another_etag_is_refused(uploader_client, upload):
    parts = send_parts(uploader_client, upload)
    parts[1]["etag"] = BOGUS_ETAG

    response = complete(uploader_client, upload, parts)

    assert_refused(response, "invalid_part")
    assert response.json()["detail"].startswith("Part 2's ETag is not the stored part's")
    assert_still_resumable(upload)


def test_a_part_of_the_wrong_size_is_refused_and_can_be_sent_again(uploader_client, upload):
    parts = send_parts(uploader_client, upload, numbers=(1, 2))
    storage = get_storage()
    # A part URL signed without a length (not one the API gives) lets a wrong size through.
    short = storage.write_part(
        upload.key, upload.multipart_id, 3, iter([b"short"]), size=len(b"short")
    )

    response = complete(uploader_client, upload, [*parts, {"part_number": 3, "etag": short.etag}])

    assert_refused(response, "size_mismatch", "Part 3 holds 5 bytes; it must hold 500.")
    parts += send_parts(uploader_client, upload, numbers=(3,))
    assert complete(uploader_client, upload, parts).status_code == 200


def test_an_assembled_object_of_another_size_is_deleted_and_the_upload_discarded(
    uploader_client, upload
):
    parts = send_parts(uploader_client, upload)
    storage = get_storage()
    # Something already at the key: completion finds it instead of assembling the parts.
    storage.upload_fileobj(upload.key, io.BytesIO(b"x" * 10), content_type="audio/flac")

    response = complete(uploader_client, upload, parts)

    assert_refused(response, "size_mismatch")
    assert "10 bytes" in response.json()["detail"]
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DISCARDED
    with pytest.raises(ObjectNotFound):
        storage.head(upload.key)
    assert upload.multipart_id not in {u.upload_id for u in storage.list_multipart_uploads("")}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"parts": []},
        {"parts": "1"},
        {"parts": [{"part_number": 1}]},
        {"parts": [{"part_number": 1, "etag": ""}]},
        {"parts": [{"etag": BOGUS_ETAG}]},
        {"parts": [{"part_number": 0, "etag": BOGUS_ETAG}]},
        {"parts": [{"part_number": 10_001, "etag": BOGUS_ETAG}]},
    ],
    ids=[
        "missing",
        "empty",
        "not-a-list",
        "no-etag",
        "blank-etag",
        "no-number",
        "zero",
        "beyond-10000",
    ],
)
def test_malformed_part_lists_are_refused(uploader_client, upload, body):
    response = uploader_client.post(complete_url(upload), body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "parts" in response.json()["fields"]


def test_a_single_put_upload_cannot_be_completed(uploader, uploader_client):
    single = new_upload(uploader, size=10)

    response = complete(uploader_client, single, [{"part_number": 1, "etag": BOGUS_ETAG}])

    assert_refused(response, "not_multipart")


@pytest.mark.parametrize(
    "fields",
    [{"status": UploadStatus.DISCARDED}, {"expires_at": timezone.now() - timedelta(seconds=1)}],
    ids=["discarded", "expired"],
)
def test_an_upload_no_longer_pending_cannot_be_completed(uploader_client, upload, fields):
    parts = send_parts(uploader_client, upload)
    Upload.objects.filter(pk=upload.pk).update(**fields)

    assert_refused(complete(uploader_client, upload, parts), "upload_expired")


def test_an_upload_aborted_in_storage_cannot_be_completed(uploader_client, upload):
    parts = send_parts(uploader_client, upload)
    get_storage().abort_multipart(upload.key, upload.multipart_id)

    assert_refused(complete(uploader_client, upload, parts), "upload_expired")


def test_another_uploaders_upload_is_not_found(uploader_client, upload):
    parts = send_parts(uploader_client, upload)
    other = client_for(factories.UploaderFactory(username="other"))

    assert complete(other, upload, parts).status_code == 404
    assert Upload.objects.get(pk=upload.pk).completed_at is None


def test_staff_cannot_complete_others_uploads(staff_client, uploader_client, upload):
    parts = send_parts(uploader_client, upload)

    assert complete(staff_client, upload, parts).status_code == 404


def test_listeners_cannot_complete(alice_client, upload):
    assert (
        complete(alice_client, upload, [{"part_number": 1, "etag": BOGUS_ETAG}]).status_code == 403
    )


def test_anonymous_cannot_complete(api_client, upload):
    assert complete(api_client, upload, [{"part_number": 1, "etag": BOGUS_ETAG}]).status_code == 401


def test_storage_down_is_503_and_the_upload_stays_pending(uploader_client, upload, monkeypatch):
    parts = send_parts(uploader_client, upload)

    def unavailable(*args, **kwargs):
        raise StorageUnavailable("broken")

    monkeypatch.setattr(get_storage(), "complete_multipart", unavailable)
    response = complete(uploader_client, upload, parts)

    assert response.status_code == 503
    upload.refresh_from_db()
    assert upload.completed_at is None
