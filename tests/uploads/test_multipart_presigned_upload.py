"""POST /api/tracks/presigned_upload/ over the multipart threshold: parts instead of one PUT."""

import pytest

from core.uploads.models import Upload
from media_pipeline.storage import get_storage
from tests.catalog.uploading import PRESIGN_URL, register
from tests.uploads.multipart_helpers import (
    DATA,
    PART_SIZE,
    PARTS,
    complete_url,
    put_part,
    use_small_parts,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_parts(settings):
    use_small_parts(settings)


def presign(client, size: int):
    body = {"filename": "album.flac", "content_type": "audio/flac", "size": size}
    return client.post(PRESIGN_URL, body, format="json")


def test_a_file_over_the_threshold_gets_part_urls(uploader_client):
    response = presign(uploader_client, len(DATA))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["multipart"], body["part_size"], body["part_count"]) == (True, PART_SIZE, 3)
    assert [p["part_number"] for p in body["parts"]] == [1, 2, 3]
    assert not {"method", "url", "headers"} & body.keys()
    upload = Upload.objects.get(pk=body["upload_id"])
    opened = get_storage().list_multipart_uploads("audio/")
    assert [(u.key, u.upload_id) for u in opened] == [(upload.key, upload.multipart_id)]


def test_a_file_at_the_threshold_gets_one_put(uploader_client):
    body = presign(uploader_client, PART_SIZE).json()

    assert body["multipart"] is False
    assert body["method"] == "PUT" and "parts" not in body


def test_the_parts_sent_complete_and_register(uploader_client):
    body = presign(uploader_client, len(DATA)).json()
    parts = []
    for part in body["parts"]:
        put = put_part(part, PARTS[part["part_number"] - 1])
        parts.append({"part_number": part["part_number"], "etag": put["ETag"]})
    upload = Upload.objects.get(pk=body["upload_id"])

    assert (
        uploader_client.post(complete_url(upload), {"parts": parts}, format="json").status_code
        == 200
    )
    registered = register(uploader_client, body["upload_id"])
    assert registered.status_code == 201, registered.json()
    assert registered.json()["size"] == len(DATA)
