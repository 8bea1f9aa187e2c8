"""S3 for tests: moto's standalone server over real HTTP, and moto in-process for unit tests.

Loaded by tests/conftest.py as a pytest plugin. Know what moto does not check: expired or
tampered presigned URLs, and bodies of another type, length or checksum are all accepted,
so these fixtures prove a flow works but never that a refusal happens.
"""

import logging
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from moto import mock_aws
from moto.server import ThreadedMotoServer

from media_pipeline.storage import get_storage
from media_pipeline.storage.s3 import S3Storage

S3_REGION = "us-east-1"
S3_ACCESS_KEY = "testing"
S3_SECRET_KEY = "testing"


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """Endpoint URL of a moto S3 server on 127.0.0.1, one per test worker process."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _use_s3(settings, *, endpoint_url: str | None, bucket: str) -> None:
    settings.STORAGE_BACKEND = "s3"
    settings.AWS_S3_ENDPOINT_URL = endpoint_url
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_S3_REGION_NAME = S3_REGION
    settings.AWS_ACCESS_KEY_ID = S3_ACCESS_KEY
    settings.AWS_SECRET_ACCESS_KEY = S3_SECRET_KEY
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    settings.AWS_S3_MAX_ATTEMPTS = 2
    settings.AWS_S3_CONNECT_TIMEOUT = 2
    settings.AWS_S3_READ_TIMEOUT = 10
    # django-storages caches the default storage; FileFields must see the new backend too.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }


_session = boto3.session.Session()


def _create_bucket(endpoint_url: str | None) -> str:
    bucket = f"tonearm-test-{uuid.uuid4().hex[:16]}"
    _session.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
    ).create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture
def s3_storage(moto_server, settings) -> Iterator[S3Storage]:
    """STORAGE_BACKEND=s3 on the moto server with a fresh bucket; yields get_storage()."""
    bucket = _create_bucket(moto_server)
    _use_s3(settings, endpoint_url=moto_server, bucket=bucket)
    get_storage.cache_clear()
    storage = get_storage()
    assert isinstance(storage, S3Storage)
    yield storage
    get_storage.cache_clear()


@pytest.fixture
def mock_s3(settings, monkeypatch) -> Iterator[S3Storage]:
    """STORAGE_BACKEND=s3 on moto in-process (no HTTP): fast, for server-side calls only.

    Presigned URLs it returns point at amazonaws.com and cannot be fetched; use s3_storage
    when a client must send bytes.
    """
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        bucket = _create_bucket(None)
        _use_s3(settings, endpoint_url=None, bucket=bucket)
        get_storage.cache_clear()
        storage = get_storage()
        assert isinstance(storage, S3Storage)
        yield storage
        get_storage.cache_clear()


@pytest.fixture
def aws_settings(settings):
    """Settings for real AWS (nothing is sent: presigning is local)."""
    settings.STORAGE_BACKEND = "s3"
    settings.AWS_S3_ENDPOINT_URL = None
    settings.AWS_S3_ADDRESSING_STYLE = "virtual"
    settings.AWS_S3_REGION_NAME = "eu-west-3"
    settings.AWS_ACCESS_KEY_ID = "AKIAEXAMPLE"
    settings.AWS_SECRET_ACCESS_KEY = "secret"
    settings.AWS_STORAGE_BUCKET_NAME = "tonearm-audio"
    get_storage.cache_clear()
    return settings


def query_params(url: str) -> dict[str, str]:
    """The query parameters of a presigned URL, one value each."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
