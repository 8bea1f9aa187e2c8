"""POST /api/uploads/{id}/parts/: presigned PUTs for parts of a multipart upload."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.uploads.models import UploadStatus
from media_pipeline.storage import StorageUnavailable, get_storage
from tests import factories
from tests.conftest import client_for
from tests.uploads.multipart_helpers import (
    PARTS,
    new_upload,
    parts_url,
    put_part,
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


def ask(client, upload, part_numbers):
    return client.post(parts_url(upload), {"part_numbers": part_numbers}, format="json")


def test_owner_gets_a_url_per_part_that_stores_exactly_that_part(uploader_client, upload):
    response = ask(uploader_client, upload, [3, 1])

    assert response.status_code == 200
    parts = response.json()["parts"]
    assert [p["part_number"] for p in parts] == [3, 1]
    assert [p["headers"] for p in parts] == [
        {"Content-Length": str(len(PARTS[2]))},
        {"Content-Length": str(len(PARTS[0]))},
    ]
    assert all(p["method"] == "PUT" and p["expires_at"] for p in parts)
    put = put_part(parts[0], PARTS[2])
    assert put.status_code == 200
    stored = get_storage().list_parts(upload.key, upload.multipart_id)
    assert [(p.part_number, p.size, p.etag) for p in stored] == [(3, len(PARTS[2]), put["ETag"])]


def test_a_part_url_refuses_a_body_of_another_length(uploader_client, upload):
    part = ask(uploader_client, upload, [1]).json()["parts"][0]

    put = put_part({**part, "headers": {}}, PARTS[0][:-1])

    assert put.status_code == 400
    assert get_storage().list_parts(upload.key, upload.multipart_id) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"part_numbers": [4]}, "Part 4 is outside this upload's parts 1 to 3."),
        ({"part_numbers": [1, 2, 1]}, "Part 1 is asked for twice."),
    ],
)
def test_part_numbers_outside_the_upload_or_repeated_are_refused(
    uploader_client, upload, body, message
):
    response = uploader_client.post(parts_url(upload), body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "detail": message,
        "fields": {"part_numbers": [message]},
    }


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"part_numbers": []},
        {"part_numbers": [0]},
        {"part_numbers": [10_001]},
        {"part_numbers": ["one"]},
        {"part_numbers": 1},
        {"part_numbers": list(range(1, 1002))},
    ],
    ids=["missing", "empty", "zero", "beyond-10000", "not-a-number", "not-a-list", "too-many"],
)
def test_malformed_part_numbers_are_refused(uploader_client, upload, body):
    response = uploader_client.post(parts_url(upload), body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "part_numbers" in response.json()["fields"]


def test_a_single_put_upload_has_no_parts(uploader, uploader_client):
    single = new_upload(uploader, size=10)

    response = ask(uploader_client, single, [1])

    assert response.status_code == 400
    assert response.json()["code"] == "not_multipart"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": UploadStatus.DISCARDED}, "upload_expired"),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "upload_expired"),
        ({"completed_at": timezone.now()}, "already_completed"),
    ],
)
def test_no_parts_for_an_upload_no_longer_pending(uploader_client, upload, fields, code):
    for name, value in fields.items():
        setattr(upload, name, value)
    upload.save()

    response = ask(uploader_client, upload, [1])

    assert response.status_code == 400
    assert response.json()["code"] == code


def test_another_uploaders_upload_is_not_found(upload):
    other = client_for(factories.UploaderFactory(username="other"))

    assert ask(other, upload, [1]).status_code == 404


def test_staff_cannot_presign_others_parts(staff_client, upload):
    assert ask(staff_client, upload, [1]).status_code == 404


def test_listeners_cannot_presign_parts(alice_client, upload):
    assert ask(alice_client, upload, [1]).status_code == 403


def test_anonymous_cannot_presign_parts(api_client, upload):
    assert ask(api_client, upload, [1]).status_code == 401


def test_storage_down_is_503(uploader_client, upload, monkeypatch):
    def unavailable(*args, **kwargs):
        raise StorageUnavailable("broken")

    monkeypatch.setattr(get_storage(), "presign_part", unavailable)

    response = ask(uploader_client, upload, [1])

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
