"""One contract, every backend: what a client and the app can rely on, over real HTTP.

The S3 cases run on moto (its standalone server, and in-process), which accepts whatever a
presigned URL is sent: refusals are specified for the local backend in
test_storage_local_refusals.py.
"""

import base64
import hashlib
import io
import os

import pytest
import requests

from media_pipeline.storage import ObjectNotFound, Storage

KEY = "audio/2026/contract-test.flac"
DATA = os.urandom(200_000)  # larger than one 64 KiB chunk, so streaming is exercised
SHA256 = hashlib.sha256(DATA).hexdigest()


@pytest.fixture(params=["local", "s3", "s3-in-process"])
def storage(request) -> Storage:
    fixture = {"local": "local_storage", "s3": "s3_storage", "s3-in-process": "mock_s3"}
    return request.getfixturevalue(fixture[request.param])


def upload(storage: Storage, *, key: str = KEY, data: bytes = DATA, sha256: str | None = None):
    presigned = storage.presign_upload(
        key, content_type="audio/flac", size=len(data), sha256_hex=sha256, expires_in=300
    )
    return requests.request(
        presigned.method, presigned.url, data=data, headers=presigned.headers, timeout=10
    )


def download(storage: Storage, *, headers: dict | None = None, **presign) -> requests.Response:
    presigned = storage.presign_download(KEY, expires_in=300, **presign)
    return requests.get(presigned.url, headers=headers or {}, timeout=10)


def test_presigned_upload_stores_exactly_the_bytes_sent(storage):
    response = upload(storage)

    assert response.status_code == 200
    info = storage.head(KEY)
    assert (info.size, info.content_type) == (len(DATA), "audio/flac")
    assert storage.read_range(KEY, 0, len(DATA) - 1) == DATA


def test_presigned_upload_asks_for_exactly_the_headers_s3_signs(storage):
    presigned = storage.presign_upload(
        KEY, content_type="audio/flac", size=len(DATA), sha256_hex=SHA256, expires_in=300
    )

    assert presigned.method == "PUT"
    assert presigned.headers == {
        "Content-Type": "audio/flac",
        "Content-Length": str(len(DATA)),
        "If-None-Match": "*",
        "x-amz-checksum-sha256": base64.b64encode(bytes.fromhex(SHA256)).decode(),
    }
    assert presigned.expires_at is not None


def test_upload_with_declared_checksum_is_accepted_and_never_misreported(storage):
    response = upload(storage, sha256=SHA256)

    assert response.status_code == 200
    info = storage.head(KEY)
    assert info.size == len(DATA)
    # "Where known": moto drops checksums sent with a presigned PUT; real S3 and local keep them.
    assert info.checksum_sha256 in (SHA256, None)


def test_download_returns_the_bytes_with_the_requested_content_type(storage):
    upload(storage)

    response = download(storage, content_type="audio/x-flac")

    assert response.status_code == 200
    assert response.content == DATA
    assert response.headers["Content-Type"] == "audio/x-flac"
    assert response.headers["Content-Length"] == str(len(DATA))


def test_download_names_the_file_when_asked(storage):
    upload(storage)

    response = download(storage, filename="Été à Paris.flac")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="_t_ _ Paris.flac"; '
        "filename*=UTF-8''%C3%89t%C3%A9%20%C3%A0%20Paris.flac"
    )


def test_download_answers_a_byte_range_with_exactly_those_bytes(storage):
    upload(storage)

    response = download(storage, headers={"Range": "bytes=10-19"})

    assert response.status_code == 206
    assert response.content == DATA[10:20]
    assert response.headers["Content-Range"] == f"bytes 10-19/{len(DATA)}"
    assert response.headers["Content-Length"] == "10"


def test_download_answers_a_suffix_range_with_the_last_bytes(storage):
    upload(storage)

    response = download(storage, headers={"Range": "bytes=-100"})

    assert response.status_code == 206
    assert response.content == DATA[-100:]
    assert (
        response.headers["Content-Range"] == f"bytes {len(DATA) - 100}-{len(DATA) - 1}/{len(DATA)}"
    )


def test_download_answers_an_open_range_up_to_the_end(storage):
    upload(storage)

    response = download(storage, headers={"Range": f"bytes={len(DATA) - 5}-"})

    assert response.status_code == 206
    assert response.content == DATA[-5:]


def test_download_refuses_a_range_past_the_end(storage):
    upload(storage)

    response = download(storage, headers={"Range": f"bytes={len(DATA)}-"})

    assert response.status_code == 416


def test_read_range_returns_inclusive_bytes(storage):
    upload(storage)

    assert storage.read_range(KEY, 10, 19) == DATA[10:20]
    assert storage.read_range(KEY, len(DATA) - 3, len(DATA) + 100) == DATA[-3:]
    assert storage.read_range(KEY, len(DATA) + 10, len(DATA) + 20) == b""


def test_head_of_a_missing_key_is_not_found(storage):
    with pytest.raises(ObjectNotFound):
        storage.head("audio/never-uploaded.flac")


def test_read_range_of_a_missing_key_is_not_found(storage):
    with pytest.raises(ObjectNotFound):
        storage.read_range("audio/never-uploaded.flac", 0, 10)


def test_deleted_object_is_gone(storage):
    upload(storage)

    storage.delete(KEY)

    with pytest.raises(ObjectNotFound):
        storage.head(KEY)
    assert download(storage).status_code == 404


def test_deleting_a_missing_key_is_not_an_error(storage):
    storage.delete("audio/never-uploaded.flac")


def test_server_side_upload_and_download_round_trip(storage):
    info = storage.upload_fileobj(KEY, io.BytesIO(DATA), content_type="audio/flac")

    assert (info.size, info.content_type) == (len(DATA), "audio/flac")
    out = io.BytesIO()
    storage.download_to_file(KEY, out)
    assert out.getvalue() == DATA


def test_ping_succeeds_on_a_working_store(storage):
    storage.ping()
