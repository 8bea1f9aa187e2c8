"""Helpers that walk the upload contract the way a client does, with real bytes."""

import hashlib
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse

PRESIGN_URL = reverse("track-presigned-upload")
TRACKS_URL = reverse("track-list")

# Not a playable MP3, but real bytes of a plausible size; the registration checks only
# what the store reports (size, type, checksum).
AUDIO = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 16


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def presign(
    client,
    *,
    data: bytes = AUDIO,
    content_type: str = "audio/mpeg",
    filename: str = "song.mp3",
    with_checksum: bool = False,
):
    body = {"filename": filename, "content_type": content_type, "size": len(data)}
    if with_checksum:
        body["sha256"] = sha256_hex(data)
    return client.post(PRESIGN_URL, body, format="json")


def put_bytes(presigned: dict, data: bytes):
    """Send `data` to a local-backend presigned URL with exactly the returned headers."""
    url = urlsplit(presigned["url"])
    headers = dict(presigned["headers"])
    content_type = headers.pop("Content-Type")
    # The test client sets Content-Length from the body itself.
    assert headers.pop("Content-Length") == str(len(data))
    return Client().generic(
        presigned["method"],
        url.path + (f"?{url.query}" if url.query else ""),
        data=data,
        content_type=content_type,
        headers=headers,
    )


def upload(client, data: bytes = AUDIO, **presign_options) -> dict:
    """Presign and PUT the bytes; returns the presign payload."""
    response = presign(client, data=data, **presign_options)
    assert response.status_code == 201, response.json()
    put = put_bytes(response.json(), data)
    assert put.status_code == 200, put.content
    return response.json()


def register(client, upload_id: str, /, **metadata):
    body = {"upload_id": upload_id, "title": "Blue in Green", "artist": "Bill Evans", **metadata}
    return client.post(TRACKS_URL, body, format="json")
