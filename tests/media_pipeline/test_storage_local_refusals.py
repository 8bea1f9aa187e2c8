"""The local backend refuses what real S3 refuses for a presigned PUT or GET.

moto checks none of this (it accepts expired and tampered URLs and bodies of another type,
length or checksum), so these cases are specified against the local backend only.
"""

import base64
import hashlib
import time

import pytest
import requests

from media_pipeline.storage import ObjectNotFound
from media_pipeline.storage import local as local_module
from media_pipeline.storage.local import IncompleteBody, InvalidKey

KEY = "audio/2026/refusals.mp3"
DATA = b"ID3" + bytes(range(256)) * 40
SHA256 = hashlib.sha256(DATA).hexdigest()


def presign(storage, *, sha256: str | None = SHA256, size: int = len(DATA), key: str = KEY):
    return storage.presign_upload(
        key, content_type="audio/mpeg", size=size, sha256_hex=sha256, expires_in=300
    )


def put(url: str, headers: dict, data: bytes = DATA) -> requests.Response:
    return requests.put(url, data=data, headers=headers, timeout=10)


def assert_s3_error(response: requests.Response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/xml"
    assert f"<Code>{code}</Code>" in response.text


def assert_nothing_stored(storage) -> None:
    with pytest.raises(ObjectNotFound):
        storage.head(KEY)


def test_head_reports_the_checksum_of_the_stored_bytes(local_storage):
    presigned = presign(local_storage)

    assert put(presigned.url, presigned.headers).status_code == 200
    assert local_storage.head(KEY).checksum_sha256 == SHA256


def test_head_reports_the_checksum_even_when_none_was_declared(local_storage):
    presigned = presign(local_storage, sha256=None)

    assert put(presigned.url, presigned.headers).status_code == 200
    assert local_storage.head(KEY).checksum_sha256 == SHA256


def test_expired_upload_url_is_refused(local_storage, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(local_module, "_now", lambda: time.time() - 3600)
        presigned = presign(local_storage)

    assert_s3_error(put(presigned.url, presigned.headers), 403, "AccessDenied")
    assert_nothing_stored(local_storage)


def test_tampered_upload_url_is_refused(local_storage):
    presigned = presign(local_storage)
    tampered = presigned.url[:-1] + ("A" if presigned.url[-1] != "A" else "B")

    assert_s3_error(put(tampered, presigned.headers), 403, "SignatureDoesNotMatch")
    assert_nothing_stored(local_storage)


def test_upload_of_another_content_type_is_refused(local_storage):
    presigned = presign(local_storage)
    headers = {**presigned.headers, "Content-Type": "text/html"}

    assert_s3_error(put(presigned.url, headers), 403, "SignatureDoesNotMatch")
    assert_nothing_stored(local_storage)


def test_upload_of_another_length_is_refused(local_storage):
    presigned = presign(local_storage, sha256=None)
    headers = {k: v for k, v in presigned.headers.items() if k != "Content-Length"}

    assert_s3_error(put(presigned.url, headers, DATA[:-1]), 400, "InvalidRequest")
    assert_nothing_stored(local_storage)


def test_upload_whose_bytes_do_not_match_the_checksum_is_refused(local_storage):
    presigned = presign(local_storage)
    corrupted = DATA[:-1] + b"\x00"

    assert_s3_error(put(presigned.url, presigned.headers, corrupted), 400, "BadDigest")
    assert_nothing_stored(local_storage)


def test_upload_without_the_signed_checksum_header_is_refused(local_storage):
    presigned = presign(local_storage)
    headers = {k: v for k, v in presigned.headers.items() if k != "x-amz-checksum-sha256"}

    assert_s3_error(put(presigned.url, headers), 400, "InvalidRequest")
    assert_nothing_stored(local_storage)


def test_upload_with_another_checksum_header_is_refused(local_storage):
    presigned = presign(local_storage)
    other = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    headers = {**presigned.headers, "x-amz-checksum-sha256": other}

    assert_s3_error(put(presigned.url, headers), 400, "InvalidRequest")
    assert_nothing_stored(local_storage)


def test_upload_without_if_none_match_is_refused(local_storage):
    presigned = presign(local_storage)
    headers = {k: v for k, v in presigned.headers.items() if k != "If-None-Match"}

    assert_s3_error(put(presigned.url, headers), 403, "SignatureDoesNotMatch")
    assert_nothing_stored(local_storage)


def test_upload_never_overwrites_an_existing_object(local_storage):
    presigned = presign(local_storage)
    assert put(presigned.url, presigned.headers).status_code == 200
    other = b"x" * len(DATA)
    second = presign(local_storage, sha256=hashlib.sha256(other).hexdigest())

    assert_s3_error(put(second.url, second.headers, other), 412, "PreconditionFailed")
    assert local_storage.read_range(KEY, 0, len(DATA) - 1) == DATA


def test_upload_url_accepts_only_put(local_storage):
    presigned = presign(local_storage)

    for method in ("GET", "POST", "DELETE"):
        response = requests.request(method, presigned.url, headers=presigned.headers, timeout=10)
        assert response.status_code == 405
    assert_nothing_stored(local_storage)


def test_truncated_body_leaves_no_object(local_storage):
    with pytest.raises(IncompleteBody):
        local_storage.write(KEY, iter([DATA[:10]]), content_type="audio/mpeg", size=len(DATA))

    assert_nothing_stored(local_storage)
    assert list((local_storage.root / "tmp").iterdir()) == []


@pytest.mark.parametrize("key", ["../escape.mp3", "/etc/passwd", "a//b.mp3", "a/../../b", ""])
def test_keys_that_could_escape_the_store_are_rejected(local_storage, key):
    with pytest.raises(InvalidKey):
        presign(local_storage, key=key)
    with pytest.raises(InvalidKey):
        local_storage.head(key)


def test_expired_download_url_is_refused(local_storage, monkeypatch):
    presigned = presign(local_storage)
    put(presigned.url, presigned.headers)
    with monkeypatch.context() as m:
        m.setattr(local_module, "_now", lambda: time.time() - 3600)
        download = local_storage.presign_download(KEY, expires_in=300)

    assert_s3_error(requests.get(download.url, timeout=10), 403, "AccessDenied")


def test_tampered_download_url_is_refused(local_storage):
    presigned = presign(local_storage)
    put(presigned.url, presigned.headers)
    download = local_storage.presign_download(KEY, expires_in=300)
    tampered = download.url[:-1] + ("A" if download.url[-1] != "A" else "B")

    assert_s3_error(requests.get(tampered, timeout=10), 403, "SignatureDoesNotMatch")


def test_download_url_cannot_be_used_to_upload(local_storage):
    presigned = presign(local_storage)
    download = local_storage.presign_download(KEY, expires_in=300)

    assert put(download.url, presigned.headers).status_code == 405
    assert_nothing_stored(local_storage)


def test_upload_url_cannot_be_used_to_download(local_storage):
    presigned = presign(local_storage)
    put(presigned.url, presigned.headers)
    as_download = presigned.url.replace("/storage/upload/", "/storage/download/")

    assert_s3_error(requests.get(as_download, timeout=10), 403, "SignatureDoesNotMatch")


def test_head_on_a_download_url_gives_the_headers_without_the_body(local_storage):
    presigned = presign(local_storage)
    put(presigned.url, presigned.headers)
    download = local_storage.presign_download(KEY, expires_in=300, content_type="audio/mpeg")

    response = requests.head(download.url, timeout=10)

    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(DATA))
    assert response.headers["Content-Type"] == "audio/mpeg"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.content == b""


def test_download_ignores_multiple_ranges_and_sends_everything(local_storage):
    presigned = presign(local_storage)
    put(presigned.url, presigned.headers)
    download = local_storage.presign_download(KEY, expires_in=300)

    response = requests.get(download.url, headers={"Range": "bytes=0-1,5-6"}, timeout=10)

    assert response.status_code == 200
    assert response.content == DATA
