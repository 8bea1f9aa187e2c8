"""Multipart uploads as a client walks them through the API, on the local backend in-process."""

import os
from datetime import timedelta
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.uploads.models import Upload
from core.uploads.multipart import MultipartStart, multipart_start
from core.uploads.services import new_upload_key

PART_SIZE = 1000
DATA = os.urandom(2 * PART_SIZE + 500)  # parts of 1000, 1000 and 500 bytes
PARTS = [DATA[:1000], DATA[1000:2000], DATA[2000:]]
BOGUS_ETAG = '"0123456789abcdef0123456789abcdef"'


def use_small_parts(settings) -> None:
    """Every upload over 1000 bytes goes in parts of 1000 bytes, which the store accepts."""
    settings.UPLOAD_MULTIPART_THRESHOLD = PART_SIZE
    settings.UPLOAD_PART_SIZE = PART_SIZE
    settings.UPLOAD_MIN_PART_SIZE = PART_SIZE


def new_upload(user, *, size: int = len(DATA), **fields) -> Upload:
    """A pending upload row, as upload_start saves it."""
    now = timezone.now()
    values = {
        "user": user,
        "key": new_upload_key("audio/flac", now=now),
        "filename": "album.flac",
        "content_type": "audio/flac",
        "size": size,
        "expires_at": now + timedelta(days=1),
        **fields,
    }
    return Upload.objects.create(**values)


def start(user, *, size: int = len(DATA)) -> tuple[Upload, MultipartStart]:
    """A pending multipart upload of `size` bytes, opened in storage."""
    upload = new_upload(user, size=size)
    return upload, multipart_start(upload=upload)


def put_part(part: dict, data: bytes):
    """PUT `data` to a local-backend part URL (a payload of the API) in-process."""
    url = urlsplit(part["url"])
    headers = dict(part["headers"])
    # The test client sets Content-Length from the body itself.
    assert headers.pop("Content-Length", str(len(data))) == str(len(data))
    return Client().generic(
        part["method"],
        url.path,
        data=data,
        content_type="application/octet-stream",
        headers=headers,
    )


def part_payload(presigned_part) -> dict:
    request = presigned_part.request
    return {"method": request.method, "url": request.url, "headers": request.headers}


def send_parts(client, upload: Upload, numbers=(1, 2, 3)) -> list[dict]:
    """Presign `numbers` through the API and send those parts; returns [{part_number, etag}]."""
    response = client.post(parts_url(upload), {"part_numbers": list(numbers)}, format="json")
    assert response.status_code == 200, response.json()
    sent = []
    for part in response.json()["parts"]:
        put = put_part(part, PARTS[part["part_number"] - 1])
        assert put.status_code == 200, put.content
        sent.append({"part_number": part["part_number"], "etag": put["ETag"]})
    return sent


def detail_url(upload: Upload) -> str:
    return reverse("upload-detail", args=[upload.pk])


def parts_url(upload: Upload) -> str:
    return reverse("upload-parts", args=[upload.pk])


def complete_url(upload: Upload) -> str:
    return reverse("upload-complete", args=[upload.pk])


def abort_url(upload: Upload) -> str:
    return reverse("upload-abort", args=[upload.pk])
