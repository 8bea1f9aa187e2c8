"""What the S3 backend signs and how it fails, beyond what moto can refuse."""

import socket
import time
from urllib.parse import urlsplit

import pytest
from botocore.stub import Stubber

from media_pipeline.storage import ObjectNotFound, StorageUnavailable, get_storage
from media_pipeline.storage.s3 import S3Storage
from tests.s3server import query_params as query

SHA256 = "ab" * 32


def test_presigned_put_signs_type_length_checksum_and_no_overwrite(aws_settings):
    presigned = get_storage().presign_upload(
        "audio/a.mp3", content_type="audio/mpeg", size=123, sha256_hex=SHA256, expires_in=600
    )

    params = query(presigned.url)
    assert params["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert params["X-Amz-Expires"] == "600"
    assert params["X-Amz-SignedHeaders"].split(";") == [
        "content-length",
        "content-type",
        "host",
        "if-none-match",
        "x-amz-checksum-sha256",
    ]
    assert not any("checksum" in name.lower() for name in params)  # no extra CRC32 asked for


def test_presigned_put_without_checksum_signs_no_checksum(aws_settings):
    presigned = get_storage().presign_upload(
        "audio/a.mp3", content_type="audio/mpeg", size=123, expires_in=600
    )

    signed = query(presigned.url)["X-Amz-SignedHeaders"].split(";")
    assert signed == ["content-length", "content-type", "host", "if-none-match"]
    assert "x-amz-checksum-sha256" not in presigned.headers


def test_urls_use_virtual_hosted_addressing_by_default(aws_settings):
    presigned = get_storage().presign_download("audio/a.mp3", expires_in=60)

    assert urlsplit(presigned.url).netloc == "tonearm-audio.s3.eu-west-3.amazonaws.com"
    assert urlsplit(presigned.url).path == "/audio/a.mp3"


def test_urls_use_path_style_for_minio(aws_settings):
    aws_settings.AWS_S3_ENDPOINT_URL = "http://minio.internal:9000"
    aws_settings.AWS_S3_ADDRESSING_STYLE = "path"
    get_storage.cache_clear()

    presigned = get_storage().presign_download("audio/a.mp3", expires_in=60)

    assert presigned.url.startswith("http://minio.internal:9000/tonearm-audio/audio/a.mp3?")


def test_presigned_get_asks_s3_for_the_content_type_and_filename(aws_settings):
    presigned = get_storage().presign_download(
        "audio/a.mp3", expires_in=60, content_type="audio/mpeg", filename="Café.mp3"
    )

    params = query(presigned.url)
    assert params["response-content-type"] == "audio/mpeg"
    assert params["response-content-disposition"] == (
        "attachment; filename=\"Caf_.mp3\"; filename*=UTF-8''Caf%C3%A9.mp3"
    )
    assert presigned.method == "GET"


def test_the_client_is_created_once_and_reused(aws_settings):
    assert get_storage().client is get_storage().client


@pytest.fixture
def unreachable_s3(settings) -> S3Storage:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The port is closed again now: connections are refused at once.
    settings.STORAGE_BACKEND = "s3"
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{port}"
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_ACCESS_KEY_ID = "testing"
    settings.AWS_SECRET_ACCESS_KEY = "testing"
    settings.AWS_S3_MAX_ATTEMPTS = 1
    settings.AWS_S3_CONNECT_TIMEOUT = 1
    get_storage.cache_clear()
    return get_storage()


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.head("audio/a.mp3"),
        lambda s: s.delete("audio/a.mp3"),
        lambda s: s.read_range("audio/a.mp3", 0, 9),
        lambda s: s.ping(),
    ],
    ids=["head", "delete", "read_range", "ping"],
)
def test_unreachable_s3_is_unavailable_quickly_and_says_nothing_internal(unreachable_s3, call):
    started = time.monotonic()

    with pytest.raises(StorageUnavailable) as excinfo:
        call(unreachable_s3)

    assert time.monotonic() - started < 5
    assert str(excinfo.value) == "object storage unreachable"


def test_missing_bucket_is_unavailable_not_a_missing_object(s3_storage):
    # A HEAD has no error body, so only reads and the readiness ping can tell the difference.
    s3_storage.bucket = "no-such-bucket-here"

    with pytest.raises(StorageUnavailable):
        s3_storage.read_range("audio/a.mp3", 0, 9)
    with pytest.raises(StorageUnavailable):
        s3_storage.ping()


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (404, "NoSuchKey", ObjectNotFound),
        (404, "404", ObjectNotFound),
        (500, "InternalError", StorageUnavailable),
        (503, "SlowDown", StorageUnavailable),
        (403, "AccessDenied", StorageUnavailable),
    ],
)
def test_s3_errors_become_storage_errors_without_their_text(aws_settings, status, code, expected):
    storage = get_storage()
    with Stubber(storage.client) as stubber:
        stubber.add_client_error(
            "get_object",
            service_error_code=code,
            service_message="secret detail",
            http_status_code=status,
        )
        with pytest.raises(expected) as excinfo:
            storage.read_range("audio/a.mp3", 0, 9)

    assert "secret detail" not in str(excinfo.value)
