"""Once an upload is aborted, nothing stays stored under its key: the local backend refuses its
URLs, and the cleanup deletes what S3 (which cannot revoke a URL) stored anyway."""

import io
from io import StringIO

import pytest
import requests
from django.core.management import call_command

from core.uploads.models import Upload, UploadStatus
from media_pipeline.storage import ObjectNotFound, get_storage
from tests.catalog.uploading import AUDIO, presign, put_bytes
from tests.uploads.multipart_helpers import (
    PARTS,
    abort_url,
    parts_url,
    put_part,
    start,
    use_small_parts,
)

pytestmark = pytest.mark.django_db


def _object_exists(key: str) -> bool:
    try:
        get_storage().head(key)
    except ObjectNotFound:
        return False
    return True


def _cleanup() -> str:
    out = StringIO()
    call_command("cleanup_uploads", stdout=out, stderr=out)
    return out.getvalue()


def _start_and_abort(client) -> dict:
    presigned = presign(client).json()
    upload = Upload.objects.get(pk=presigned["upload_id"])
    assert client.post(abort_url(upload)).status_code == 204
    return presigned


def test_the_url_of_an_aborted_upload_stores_nothing(uploader_client):
    presigned = _start_and_abort(uploader_client)

    response = put_bytes(presigned, AUDIO)

    assert response.status_code == 403
    assert b"<Code>AccessDenied</Code>" in response.content
    assert not _object_exists(presigned["key"])


def test_a_part_url_of_an_aborted_multipart_upload_stores_nothing(
    settings, uploader, uploader_client
):
    use_small_parts(settings)
    upload = start(uploader)[0]
    parts = uploader_client.post(parts_url(upload), {"part_numbers": [1]}, format="json").json()
    assert uploader_client.post(abort_url(upload)).status_code == 204

    response = put_part(parts["parts"][0], PARTS[0])

    assert response.status_code == 404
    assert b"<Code>NoSuchUpload</Code>" in response.content
    assert not _object_exists(upload.key)


def test_cleanup_deletes_an_object_that_reached_an_aborted_upload_late(uploader_client):
    presigned = _start_and_abort(uploader_client)
    # A PUT already under way when the upload was aborted finishes after the delete.
    get_storage().upload_fileobj(presigned["key"], io.BytesIO(AUDIO), content_type="audio/mpeg")

    output = _cleanup()

    assert not _object_exists(presigned["key"])
    assert f"deleted {presigned['key']}, stored after its upload was closed" in output
    assert "Deleted 1 objects stored after their upload was aborted or discarded." in output
    assert Upload.objects.get(pk=presigned["upload_id"]).status == UploadStatus.DISCARDED


def test_a_dry_run_names_the_late_object_and_keeps_it(uploader_client):
    presigned = _start_and_abort(uploader_client)
    get_storage().upload_fileobj(presigned["key"], io.BytesIO(AUDIO), content_type="audio/mpeg")

    out = StringIO()
    call_command("cleanup_uploads", "--dry-run", stdout=out, stderr=out)

    assert f"would delete {presigned['key']}" in out.getvalue()
    assert _object_exists(presigned["key"])


def test_on_s3_the_object_put_after_an_abort_is_deleted_by_the_cleanup(s3_storage, uploader_client):
    presigned = _start_and_abort(uploader_client)

    # S3 cannot revoke a presigned URL: the PUT is accepted.
    put = requests.put(presigned["url"], data=AUDIO, headers=presigned["headers"], timeout=10)
    assert put.status_code == 200
    assert _object_exists(presigned["key"])

    _cleanup()

    assert not _object_exists(presigned["key"])
    assert Upload.objects.get(pk=presigned["upload_id"]).status == UploadStatus.DISCARDED
