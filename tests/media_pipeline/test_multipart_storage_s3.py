"""What the S3 backend signs for a part and how multipart failures map to storage errors."""

import socket
from urllib.parse import urlsplit

import pytest
from botocore.stub import Stubber

from media_pipeline.storage import (
    InvalidPart,
    MultipartUploadNotFound,
    ObjectExists,
    StorageUnavailable,
    get_storage,
)
from tests.s3server import query_params as query


def test_a_presigned_part_signs_its_length_so_s3_refuses_another(aws_settings):
    presigned = get_storage().presign_part(
        "audio/a.flac", "upload-1", 7, expires_in=600, size=5 * 1024**2
    )

    params = query(presigned.url)
    assert (params["partNumber"], params["uploadId"]) == ("7", "upload-1")
    assert params["X-Amz-Expires"] == "600"
    assert params["X-Amz-SignedHeaders"].split(";") == ["content-length", "host"]
    assert presigned.headers == {"Content-Length": str(5 * 1024**2)}
    assert (presigned.method, urlsplit(presigned.url).path) == ("PUT", "/audio/a.flac")
    assert not any("checksum" in name.lower() for name in params)


def test_completion_asks_s3_not_to_overwrite_and_quotes_the_etags(aws_settings):
    storage = get_storage()
    with Stubber(storage.client) as stubber:
        stubber.add_response(
            "complete_multipart_upload",
            {"ETag": '"abc-1"'},
            expected_params={
                "Bucket": "tonearm-audio",
                "Key": "audio/a.flac",
                "UploadId": "upload-1",
                "MultipartUpload": {"Parts": [{"PartNumber": 1, "ETag": '"abc"'}]},
                "IfNoneMatch": "*",
            },
        )
        stubber.add_response(
            "head_object",
            {"ContentLength": 10, "ContentType": "audio/flac", "ETag": '"abc-1"'},
        )

        info = storage.complete_multipart("audio/a.flac", "upload-1", [(1, "abc")])

    assert (info.size, info.content_type) == (10, "audio/flac")


@pytest.mark.parametrize(
    ("operation", "status", "code", "expected"),
    [
        ("list_parts", 404, "NoSuchUpload", MultipartUploadNotFound),
        ("abort_multipart_upload", 404, "NoSuchUpload", MultipartUploadNotFound),
        ("complete_multipart_upload", 404, "NoSuchUpload", MultipartUploadNotFound),
        ("complete_multipart_upload", 400, "InvalidPart", InvalidPart),
        ("complete_multipart_upload", 400, "InvalidPartOrder", InvalidPart),
        ("complete_multipart_upload", 400, "EntityTooSmall", InvalidPart),
        ("complete_multipart_upload", 412, "PreconditionFailed", ObjectExists),
        ("complete_multipart_upload", 503, "SlowDown", StorageUnavailable),
        ("list_parts", 403, "AccessDenied", StorageUnavailable),
    ],
)
def test_multipart_errors_become_storage_errors_without_their_text(
    aws_settings, operation, status, code, expected
):
    storage = get_storage()
    calls = {
        "list_parts": lambda: storage.list_parts("audio/a.flac", "upload-1"),
        "abort_multipart_upload": lambda: storage.abort_multipart("audio/a.flac", "upload-1"),
        "complete_multipart_upload": lambda: storage.complete_multipart(
            "audio/a.flac", "upload-1", [(1, '"abc"')]
        ),
    }
    with Stubber(storage.client) as stubber:
        stubber.add_client_error(
            operation,
            service_error_code=code,
            service_message="secret detail",
            http_status_code=status,
        )
        with pytest.raises(expected) as excinfo:
            calls[operation]()

    assert "secret detail" not in str(excinfo.value)
    if expected is InvalidPart:
        assert excinfo.value.code == code


def test_unreachable_s3_cannot_start_a_multipart_upload(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.STORAGE_BACKEND = "s3"
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{port}"  # closed again: refused at once
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_ACCESS_KEY_ID = "testing"
    settings.AWS_SECRET_ACCESS_KEY = "testing"
    settings.AWS_S3_MAX_ATTEMPTS = 1
    get_storage.cache_clear()

    with pytest.raises(StorageUnavailable):
        get_storage().create_multipart("audio/a.flac", content_type="audio/flac")
