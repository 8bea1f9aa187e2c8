"""Multipart uploads, one contract for every backend: parts over real HTTP, then one object.

Parts are real S3 sizes (5 MiB but the last) so that moto's standalone server applies S3's
minimum part size as the local backend does.
"""

import os

import pytest
import requests

from media_pipeline.storage import (
    InvalidPart,
    MultipartUploadNotFound,
    ObjectExists,
    ObjectNotFound,
    Storage,
)
from media_pipeline.storage.local import LocalStorage
from tests.multipart_client import MiB, drop_part, put_part, split

KEY = "audio/2026/multipart-contract.flac"
PART_SIZE = 5 * MiB
DATA = os.urandom(2 * PART_SIZE + 12_345)  # three parts, the last one small
PARTS = split(DATA, PART_SIZE)


@pytest.fixture(params=["local", "s3"])
def storage(request) -> Storage:
    fixture = {"local": "local_storage", "s3": "s3_storage"}
    return request.getfixturevalue(fixture[request.param])


def start(storage: Storage, key: str = KEY) -> str:
    return storage.create_multipart(key, content_type="audio/flac")


def send(storage: Storage, upload_id: str, number: int, key: str = KEY) -> str:
    """PUT part `number` of DATA through a presigned URL; returns the ETag the store answered."""
    data = PARTS[number - 1]
    presigned = storage.presign_part(key, upload_id, number, expires_in=300, size=len(data))
    response = put_part(presigned.method, presigned.url, presigned.headers, data)
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


def send_all(storage: Storage, upload_id: str, key: str = KEY) -> list[tuple[int, str]]:
    return [(number, send(storage, upload_id, number, key)) for number in (1, 2, 3)]


def test_parts_sent_over_http_complete_into_one_object_of_every_byte(storage):
    upload_id = start(storage)
    parts = send_all(storage, upload_id)

    info = storage.complete_multipart(KEY, upload_id, parts)

    assert (info.size, info.content_type) == (len(DATA), "audio/flac")
    assert storage.head(KEY).size == len(DATA)
    download = storage.presign_download(KEY, expires_in=300)
    response = requests.get(download.url, timeout=30)
    assert response.status_code == 200
    assert response.content == DATA


def test_listed_parts_carry_the_size_and_etag_each_put_answered(storage):
    upload_id = start(storage)
    sent = send_all(storage, upload_id)

    listed = storage.list_parts(KEY, upload_id)

    assert [(p.part_number, p.size, p.etag) for p in listed] == [
        (number, len(PARTS[number - 1]), etag) for number, etag in sent
    ]
    assert all(etag.startswith('"') and etag.endswith('"') for _, etag in sent)


def test_an_upload_resumes_after_a_dropped_connection(storage):
    upload_id = start(storage)
    first, second = send(storage, upload_id, 1), send(storage, upload_id, 2)
    presigned = storage.presign_part(KEY, upload_id, 3, expires_in=300, size=len(PARTS[2]))
    answer = drop_part(presigned.url, presigned.headers, PARTS[2], sent=len(PARTS[2]) // 2)
    assert not answer.startswith(b"HTTP/1.1 200")  # the cut part is not stored

    listed = storage.list_parts(KEY, upload_id)
    assert [(p.part_number, p.etag) for p in listed] == [(1, first), (2, second)]

    third = send(storage, upload_id, 3)
    storage.complete_multipart(KEY, upload_id, [(1, first), (2, second), (3, third)])
    assert storage.read_range(KEY, 0, len(DATA) - 1) == DATA


def test_a_part_sent_again_replaces_the_first_copy(storage):
    upload_id = start(storage)
    send(storage, upload_id, 1)
    parts = send_all(storage, upload_id)

    assert [p.part_number for p in storage.list_parts(KEY, upload_id)] == [1, 2, 3]
    storage.complete_multipart(KEY, upload_id, parts)
    assert storage.head(KEY).size == len(DATA)


def test_nothing_is_readable_before_completion(storage):
    upload_id = start(storage)
    send_all(storage, upload_id)

    with pytest.raises(ObjectNotFound):
        storage.head(KEY)


def test_abort_leaves_nothing_behind(storage):
    upload_id = start(storage)
    send(storage, upload_id, 1)
    send(storage, upload_id, 2)

    storage.abort_multipart(KEY, upload_id)

    assert upload_id not in {u.upload_id for u in storage.list_multipart_uploads("audio/")}
    with pytest.raises(ObjectNotFound):
        storage.head(KEY)
    with pytest.raises(MultipartUploadNotFound):
        storage.list_parts(KEY, upload_id)
    if isinstance(storage, LocalStorage):
        assert not (storage.root / "tmp" / "multipart" / upload_id).exists()


def test_completion_removes_the_upload_from_the_open_ones(storage):
    upload_id = start(storage)
    storage.complete_multipart(KEY, upload_id, send_all(storage, upload_id))

    assert upload_id not in {u.upload_id for u in storage.list_multipart_uploads("audio/")}
    with pytest.raises(MultipartUploadNotFound):
        storage.list_parts(KEY, upload_id)


def test_open_uploads_are_listed_under_their_prefix_with_their_start_time(storage):
    upload_id = start(storage)
    other_id = start(storage, "derived/tracks/1/normal.m4a")

    listed = storage.list_multipart_uploads("audio/")

    assert [(u.key, u.upload_id) for u in listed] == [(KEY, upload_id)]
    assert listed[0].initiated.tzinfo is not None
    assert other_id in {u.upload_id for u in storage.list_multipart_uploads("derived/")}


def test_completion_refuses_a_part_of_another_etag_and_keeps_the_upload(storage):
    upload_id = start(storage)
    parts = send_all(storage, upload_id)
    parts[1] = (2, '"0123456789abcdef0123456789abcdef"')

    with pytest.raises(InvalidPart) as refused:
        storage.complete_multipart(KEY, upload_id, parts)

    assert refused.value.code == "InvalidPart"
    assert len(storage.list_parts(KEY, upload_id)) == 3
    with pytest.raises(ObjectNotFound):
        storage.head(KEY)


def test_completion_refuses_a_part_never_sent(storage):
    upload_id = start(storage)
    parts = [(1, send(storage, upload_id, 1)), (2, '"0123456789abcdef0123456789abcdef"')]

    with pytest.raises(InvalidPart):
        storage.complete_multipart(KEY, upload_id, parts)


def test_completion_refuses_a_part_but_the_last_below_5_mib(storage):
    upload_id = start(storage)
    small = storage.presign_part(KEY, upload_id, 1, expires_in=300)
    etag = put_part(small.method, small.url, small.headers, b"x" * 1000).headers["ETag"]
    parts = [(1, etag), (2, send(storage, upload_id, 2))]

    with pytest.raises(InvalidPart) as refused:
        storage.complete_multipart(KEY, upload_id, parts)

    assert refused.value.code == "EntityTooSmall"


def test_completion_never_overwrites_an_existing_object(storage):
    existing = storage.presign_upload(KEY, content_type="audio/flac", size=3, expires_in=300)
    requests.put(existing.url, data=b"old", headers=existing.headers, timeout=10)
    upload_id = start(storage)
    parts = send_all(storage, upload_id)

    with pytest.raises(ObjectExists):
        storage.complete_multipart(KEY, upload_id, parts)

    assert storage.read_range(KEY, 0, 10) == b"old"


def test_unknown_upload_ids_are_not_found(storage):
    start(storage)

    with pytest.raises(MultipartUploadNotFound):
        storage.list_parts(KEY, "0" * 32)
    with pytest.raises(MultipartUploadNotFound):
        storage.abort_multipart(KEY, "0" * 32)
