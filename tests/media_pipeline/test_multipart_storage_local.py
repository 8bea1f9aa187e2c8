"""The local backend refuses the multipart requests real S3 refuses (moto checks few of them)."""

import hashlib
import time

import pytest
import requests

from media_pipeline.storage import InvalidPart, MultipartUploadNotFound, ObjectNotFound
from media_pipeline.storage import local as local_module
from tests.multipart_client import put_part

KEY = "audio/2026/multipart-local.flac"
PART = b"\x00\x01" * 600


def assert_s3_error(response: requests.Response, status: int, code: str) -> None:
    assert response.status_code == status
    assert f"<Code>{code}</Code>" in response.text


def start(storage) -> str:
    return storage.create_multipart(KEY, content_type="audio/flac")


def send(storage, upload_id: str, number: int, data: bytes = PART) -> requests.Response:
    presigned = storage.presign_part(KEY, upload_id, number, expires_in=300, size=len(data))
    return put_part(presigned.method, presigned.url, presigned.headers, data)


@pytest.fixture
def small_parts(settings):
    settings.UPLOAD_MIN_PART_SIZE = 1000


def test_a_part_sent_after_abort_is_refused(local_storage):
    upload_id = start(local_storage)
    local_storage.abort_multipart(KEY, upload_id)

    assert_s3_error(send(local_storage, upload_id, 1), 404, "NoSuchUpload")
    assert not (local_storage.root / "tmp" / "multipart" / upload_id).exists()


def test_a_part_of_another_length_than_signed_is_refused(local_storage):
    upload_id = start(local_storage)
    presigned = local_storage.presign_part(KEY, upload_id, 1, expires_in=300, size=len(PART))

    response = put_part(presigned.method, presigned.url, {}, PART + b"more")

    assert_s3_error(response, 400, "InvalidRequest")
    assert local_storage.list_parts(KEY, upload_id) == []


def test_an_expired_part_url_is_refused(local_storage, monkeypatch):
    upload_id = start(local_storage)
    with monkeypatch.context() as m:
        m.setattr(local_module, "_now", lambda: time.time() - 3600)
        presigned = local_storage.presign_part(KEY, upload_id, 1, expires_in=300)

    response = put_part(presigned.method, presigned.url, presigned.headers, PART)

    assert_s3_error(response, 403, "AccessDenied")
    assert local_storage.list_parts(KEY, upload_id) == []


def test_a_tampered_part_url_is_refused(local_storage):
    upload_id = start(local_storage)
    presigned = local_storage.presign_part(KEY, upload_id, 1, expires_in=300)
    tampered = presigned.url[:-1] + ("A" if presigned.url[-1] != "A" else "B")

    assert_s3_error(put_part("PUT", tampered, {}, PART), 403, "SignatureDoesNotMatch")


def test_a_part_url_is_only_for_its_own_upload(local_storage):
    upload_id, other_id = start(local_storage), start(local_storage)
    presigned = local_storage.presign_part(KEY, upload_id, 1, expires_in=300)

    assert put_part("PUT", presigned.url, {}, PART).status_code == 200
    assert local_storage.list_parts(KEY, other_id) == []


def test_parts_out_of_order_are_refused(local_storage, small_parts):
    upload_id = start(local_storage)
    etags = {n: send(local_storage, upload_id, n).headers["ETag"] for n in (1, 2)}

    with pytest.raises(InvalidPart) as refused:
        local_storage.complete_multipart(KEY, upload_id, [(2, etags[2]), (1, etags[1])])

    assert refused.value.code == "InvalidPartOrder"
    with pytest.raises(ObjectNotFound):
        local_storage.head(KEY)


def test_the_minimum_part_size_follows_the_setting(local_storage, small_parts):
    upload_id = start(local_storage)
    parts = [(n, send(local_storage, upload_id, n).headers["ETag"]) for n in (1, 2, 3)]

    info = local_storage.complete_multipart(KEY, upload_id, parts)

    assert info.size == 3 * len(PART)
    assert local_storage.read_range(KEY, 0, info.size) == PART * 3


def test_completion_accepts_etags_with_or_without_quotes(local_storage, small_parts):
    upload_id = start(local_storage)
    etag = send(local_storage, upload_id, 1).headers["ETag"]

    local_storage.complete_multipart(KEY, upload_id, [(1, etag.strip('"'))])

    assert local_storage.head(KEY).size == len(PART)


def test_completion_records_the_checksum_of_the_whole_object(local_storage, small_parts):
    upload_id = start(local_storage)
    parts = [(n, send(local_storage, upload_id, n).headers["ETag"]) for n in (1, 2)]

    local_storage.complete_multipart(KEY, upload_id, parts)

    assert local_storage.head(KEY).checksum_sha256 == hashlib.sha256(PART * 2).hexdigest()


@pytest.mark.parametrize("upload_id", ["../../objects", "ABC", "0" * 31])
def test_upload_ids_that_are_not_the_backends_own_are_not_found(local_storage, upload_id):
    with pytest.raises(MultipartUploadNotFound):
        local_storage.list_parts(KEY, upload_id)


def test_an_upload_is_found_only_under_its_own_key(local_storage):
    upload_id = start(local_storage)

    with pytest.raises(MultipartUploadNotFound):
        local_storage.list_parts("audio/2026/another.flac", upload_id)
    with pytest.raises(MultipartUploadNotFound):
        local_storage.abort_multipart("audio/2026/another.flac", upload_id)
