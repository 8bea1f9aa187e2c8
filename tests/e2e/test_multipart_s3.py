"""End to end on moto's standalone S3 server: a large file goes up in parts over plain HTTP,
resumes after a dropped connection, completes, registers, and reads back byte for byte.

Parts are 5 MiB, S3's minimum, which moto enforces at completion.
"""

import os

import pytest
import requests

from media_pipeline.storage import ObjectNotFound
from tests.catalog.uploading import register
from tests.multipart_client import MiB, drop_part, put_part, split
from tests.uploads.multipart_helpers import abort_url, complete_url, detail_url, parts_url
from tests.uploads.multipart_helpers import start as start_multipart

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

PART_SIZE = 5 * MiB
DATA = os.urandom(2 * PART_SIZE + 123_456)
PARTS = split(DATA, PART_SIZE)


@pytest.fixture
def large_uploads(settings, s3_storage):
    settings.UPLOAD_MULTIPART_THRESHOLD = MiB
    settings.UPLOAD_PART_SIZE = PART_SIZE
    return s3_storage


def send(part: dict, data: bytes) -> str:
    response = put_part(part["method"], part["url"], part["headers"], data)
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


def test_a_large_upload_resumes_after_a_drop_and_reads_back_byte_for_byte(
    uploader, uploader_client, large_uploads
):
    upload, started = start_multipart(uploader, size=len(DATA))
    assert (started.part_size, started.part_count) == (PART_SIZE, 3)
    urls = {
        p.part_number: {
            "method": p.request.method,
            "url": p.request.url,
            "headers": p.request.headers,
        }
        for p in started.parts
    }
    etags = {1: send(urls[1], PARTS[0]), 2: send(urls[2], PARTS[1])}
    drop_part(urls[3]["url"], urls[3]["headers"], PARTS[2], sent=len(PARTS[2]) // 3)

    # Resume: ask what is stored, presign what is missing, send it.
    stored = uploader_client.get(detail_url(upload)).json()["parts"]
    assert [(p["part_number"], p["size"], p["etag"]) for p in stored] == [
        (1, PART_SIZE, etags[1]),
        (2, PART_SIZE, etags[2]),
    ]
    missing = sorted(set(range(1, 4)) - {p["part_number"] for p in stored})
    fresh = uploader_client.post(parts_url(upload), {"part_numbers": missing}, format="json")
    assert fresh.status_code == 200
    for part in fresh.json()["parts"]:
        etags[part["part_number"]] = send(part, PARTS[part["part_number"] - 1])

    completed = uploader_client.post(
        complete_url(upload),
        {"parts": [{"part_number": n, "etag": etags[n]} for n in sorted(etags)]},
        format="json",
    )
    assert completed.status_code == 200, completed.json()
    assert completed.json()["state"] == "completed"

    registered = register(uploader_client, str(upload.pk))
    assert registered.status_code == 201, registered.json()
    assert registered.json()["size"] == len(DATA)
    assert large_uploads.head(upload.key).size == len(DATA)
    download = large_uploads.presign_download(upload.key, expires_in=60)
    assert requests.get(download.url, timeout=30).content == DATA


def test_abort_leaves_nothing_in_the_bucket(uploader, uploader_client, large_uploads):
    upload, started = start_multipart(uploader, size=len(DATA))
    first = started.parts[0].request
    send({"method": first.method, "url": first.url, "headers": first.headers}, PARTS[0])

    response = uploader_client.post(abort_url(upload))

    assert response.status_code == 204
    assert large_uploads.list_multipart_uploads("audio/") == []
    with pytest.raises(ObjectNotFound):
        large_uploads.head(upload.key)
    assert uploader_client.get(detail_url(upload)).json()["state"] == "discarded"
