"""POST /api/uploads/{id}/abort/: the upload is discarded and nothing is left in storage."""

import io

import pytest

from core.uploads.models import Upload, UploadStatus
from media_pipeline.storage import (
    MultipartUploadNotFound,
    ObjectNotFound,
    StorageUnavailable,
    get_storage,
)
from tests import factories
from tests.catalog.uploading import register
from tests.conftest import client_for
from tests.uploads.multipart_helpers import (
    abort_url,
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


def assert_nothing_left(upload) -> None:
    storage = get_storage()
    assert upload.multipart_id not in {u.upload_id for u in storage.list_multipart_uploads("")}
    with pytest.raises(ObjectNotFound):
        storage.head(upload.key)
    assert not (storage.root / "tmp" / "multipart" / upload.multipart_id).exists()
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DISCARDED


def test_aborting_midway_discards_the_upload_and_its_parts(uploader_client, upload):
    send_parts(uploader_client, upload, numbers=(1, 2))

    response = uploader_client.post(abort_url(upload))

    assert response.status_code == 204
    assert_nothing_left(upload)
    with pytest.raises(MultipartUploadNotFound):
        get_storage().list_parts(upload.key, upload.multipart_id)


def test_aborting_a_completed_upload_deletes_its_object(uploader_client, upload):
    parts = send_parts(uploader_client, upload)
    uploader_client.post(complete_url(upload), {"parts": parts}, format="json")

    assert uploader_client.post(abort_url(upload)).status_code == 204

    assert_nothing_left(upload)


def test_aborting_a_single_put_upload_deletes_its_object(uploader, uploader_client):
    single = new_upload(uploader, size=3)
    get_storage().upload_fileobj(single.key, io.BytesIO(b"abc"), content_type="audio/flac")

    assert uploader_client.post(abort_url(single)).status_code == 204

    with pytest.raises(ObjectNotFound):
        get_storage().head(single.key)
    single.refresh_from_db()
    assert single.status == UploadStatus.DISCARDED


def test_aborting_again_changes_nothing(uploader_client, upload):
    uploader_client.post(abort_url(upload))

    assert uploader_client.post(abort_url(upload)).status_code == 204
    assert_nothing_left(upload)


def test_an_aborted_upload_cannot_be_registered(uploader_client, upload):
    uploader_client.post(abort_url(upload))

    response = register(uploader_client, str(upload.pk))

    assert response.status_code == 400
    assert response.json()["code"] == "upload_expired"


def test_a_registered_upload_cannot_be_aborted(uploader, uploader_client):
    track = factories.TrackFactory(uploaded_by=uploader)
    registered = new_upload(uploader, size=10, status=UploadStatus.REGISTERED, track=track)

    response = uploader_client.post(abort_url(registered))

    assert response.status_code == 400
    assert response.json()["code"] == "already_registered"
    assert Upload.objects.get(pk=registered.pk).status == UploadStatus.REGISTERED


def test_another_uploaders_upload_is_not_found_and_stays(uploader_client, upload):
    send_parts(uploader_client, upload, numbers=(1,))
    other = client_for(factories.UploaderFactory(username="other"))

    assert other.post(abort_url(upload)).status_code == 404

    assert len(get_storage().list_parts(upload.key, upload.multipart_id)) == 1
    assert Upload.objects.get(pk=upload.pk).status == UploadStatus.PENDING


@pytest.mark.parametrize("role", ["staff", "moderator"])
def test_staff_and_moderators_cannot_abort_others_uploads(request, upload, role):
    response = client_for(request.getfixturevalue(role)).post(abort_url(upload))

    assert response.status_code == 404


def test_listeners_cannot_abort(alice_client, upload):
    assert alice_client.post(abort_url(upload)).status_code == 403


def test_anonymous_cannot_abort(api_client, upload):
    assert api_client.post(abort_url(upload)).status_code == 401


def test_storage_down_is_503_and_the_upload_stays_pending(uploader_client, upload, monkeypatch):
    def unavailable(*args, **kwargs):
        raise StorageUnavailable("broken")

    monkeypatch.setattr(get_storage(), "abort_multipart", unavailable)

    assert uploader_client.post(abort_url(upload)).status_code == 503
    assert Upload.objects.get(pk=upload.pk).status == UploadStatus.PENDING
