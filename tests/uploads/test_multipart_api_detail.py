"""GET /api/uploads/{id}/: an upload as its owner sees it, with the parts already stored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.uploads.models import UploadStatus
from media_pipeline.storage import StorageUnavailable, get_storage
from tests import factories
from tests.conftest import client_for
from tests.uploads.multipart_helpers import (
    DATA,
    PART_SIZE,
    PARTS,
    detail_url,
    new_upload,
    send_parts,
    start,
    use_small_parts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_parts(settings):
    use_small_parts(settings)


def test_owner_sees_the_parts_already_stored_to_resume(uploader, uploader_client):
    upload, _ = start(uploader)
    sent = send_parts(uploader_client, upload, numbers=(1, 2))

    response = uploader_client.get(detail_url(upload))

    assert response.status_code == 200
    body = response.json()
    assert body["upload_id"] == str(upload.pk)
    assert (body["state"], body["multipart"]) == ("pending", True)
    assert (body["size"], body["part_size"], body["part_count"]) == (len(DATA), PART_SIZE, 3)
    assert body["parts"] == [
        {"part_number": 1, "size": len(PARTS[0]), "etag": sent[0]["etag"]},
        {"part_number": 2, "size": len(PARTS[1]), "etag": sent[1]["etag"]},
    ]
    assert body["key"] == upload.key
    assert body["completed_at"] is None and body["track_id"] is None


def test_a_single_put_upload_shows_its_state_and_expiry(uploader, uploader_client):
    upload = new_upload(uploader, size=10)

    body = uploader_client.get(detail_url(upload)).json()

    assert (body["state"], body["multipart"], body["parts"]) == ("pending", False, [])
    assert (body["part_size"], body["part_count"]) == (None, None)
    assert body["expires_at"].startswith(upload.expires_at.strftime("%Y-%m-%dT%H:%M:%S"))


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"status": UploadStatus.DISCARDED}, "discarded"),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "expired"),
        ({"completed_at": timezone.now()}, "completed"),
    ],
)
def test_the_state_says_what_the_upload_waits_for(uploader, uploader_client, fields, state):
    upload, _ = start(uploader)
    for name, value in fields.items():
        setattr(upload, name, value)
    upload.save()

    body = uploader_client.get(detail_url(upload)).json()

    assert body["state"] == state
    assert body["parts"] == []


def test_a_registered_upload_names_its_track(uploader, uploader_client):
    track = factories.TrackFactory(uploaded_by=uploader)
    upload = new_upload(uploader, size=10, status=UploadStatus.REGISTERED, track=track)

    body = uploader_client.get(detail_url(upload)).json()

    assert (body["state"], body["track_id"]) == ("registered", track.pk)


def test_an_upload_aborted_in_storage_shows_no_parts(uploader, uploader_client):
    upload, _ = start(uploader)
    send_parts(uploader_client, upload, numbers=(1,))
    get_storage().abort_multipart(upload.key, upload.multipart_id)

    response = uploader_client.get(detail_url(upload))

    assert response.status_code == 200
    assert response.json()["parts"] == []


def test_another_uploaders_upload_is_not_found(uploader):
    upload, _ = start(uploader)
    other = factories.UploaderFactory(username="other")

    response = client_for(other).get(detail_url(upload))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("role", ["staff", "moderator"])
def test_staff_and_moderators_do_not_see_others_uploads(request, uploader, role):
    upload, _ = start(uploader)

    response = client_for(request.getfixturevalue(role)).get(detail_url(upload))

    assert response.status_code == 404


def test_listeners_have_no_uploads(uploader, alice_client):
    upload, _ = start(uploader)

    response = alice_client.get(detail_url(upload))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_anonymous_is_unauthorized(uploader, api_client):
    upload, _ = start(uploader)

    response = api_client.get(detail_url(upload))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_an_unknown_upload_is_not_found(uploader_client):
    response = uploader_client.get("/api/uploads/00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_storage_down_is_503(uploader, uploader_client, monkeypatch):
    upload, _ = start(uploader)

    def unavailable(*args, **kwargs):
        raise StorageUnavailable("local storage unreadable")

    monkeypatch.setattr(get_storage(), "list_parts", unavailable)
    response = uploader_client.get(detail_url(upload))

    assert response.status_code == 503
    assert response.json() == {
        "code": "service_unavailable",
        "detail": "Object storage is unavailable; try again later.",
    }
