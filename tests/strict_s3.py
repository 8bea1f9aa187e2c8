"""S3 that refuses what AWS S3 refuses: LocalStack with SigV4 validation, for refusal tests.

Loaded by tests/conftest.py as a pytest plugin. moto (tests/s3server.py) accepts expired or
tampered presigned URLs and bodies of another type, length or checksum; LocalStack refuses them.
scripts/test.sh starts one and sets STRICT_S3_ENDPOINT. Without that variable (pytest run by
hand) the pytest session starts its own through the same script, installing it on first use: these
tests never skip, and a machine that cannot run LocalStack fails them with the reason.
"""

import functools
import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
import requests

from media_pipeline.storage import get_storage
from media_pipeline.storage.s3 import S3Storage, client_config
from tests.s3server import _use_s3

STRICT_S3_REGION = "us-east-1"
# LocalStack checks presigned URLs against the secret of their access key: `test` by default.
STRICT_S3_ACCESS_KEY = "test"
STRICT_S3_SECRET_KEY = "test"
LOCALSTACK_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "localstack.sh"
_session = boto3.session.Session()


def s3_error_code(response: requests.Response) -> str | None:
    """The <Code> of an S3 XML error body, e.g. SignatureDoesNotMatch."""
    match = re.search(r"<Code>([^<]+)</Code>", response.text)
    return match.group(1) if match else None


@functools.cache
def _client(endpoint: str, *, secret_key: str = STRICT_S3_SECRET_KEY):
    """A boto3 client for the strict S3; cached, as building one parses the S3 model again."""
    config = client_config(
        region=STRICT_S3_REGION,
        signature_version="s3v4",
        addressing_style="path",
        connect_timeout=2,
        read_timeout=10,
        max_attempts=2,
    )
    return _session.client(
        "s3",
        endpoint_url=endpoint,
        region_name=STRICT_S3_REGION,
        aws_access_key_id=STRICT_S3_ACCESS_KEY,
        aws_secret_access_key=secret_key,
        config=config,
    )


def _assert_checks_signatures(endpoint: str) -> None:
    """Fail unless the server refuses a URL signed with the wrong secret; a lax S3 (LocalStack
    without S3_SKIP_SIGNATURE_VALIDATION=0, moto) would make every refusal test meaningless."""
    forged = _client(endpoint, secret_key="not-the-secret").generate_presigned_url(
        "get_object", Params={"Bucket": "tonearm-probe", "Key": "probe"}, ExpiresIn=60
    )
    response = requests.get(forged, timeout=10)
    if response.status_code != 403 or s3_error_code(response) != "SignatureDoesNotMatch":
        pytest.fail(
            f"The S3 at {endpoint} answered {response.status_code} {s3_error_code(response)} "
            "to a URL signed with the wrong secret: it does not check signatures. Point "
            "STRICT_S3_ENDPOINT at LocalStack started with S3_SKIP_SIGNATURE_VALIDATION=0."
        )


def _start_localstack() -> tuple[subprocess.Popen, str]:
    """Run scripts/localstack.sh, which serves until its standard input closes."""
    process = subprocess.Popen(
        ["bash", str(LOCALSTACK_SCRIPT)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = []
    for line in process.stdout:
        if line.startswith("STRICT_S3_ENDPOINT="):
            return process, line.split("=", 1)[1].strip()
        output.append(line)
    process.wait()
    pytest.fail(
        f"scripts/localstack.sh could not start LocalStack (exit {process.returncode}):\n"
        + "".join(output)
    )


@pytest.fixture(scope="session")
def strict_s3_server() -> Iterator[str]:
    """Endpoint URL of an S3 that checks signatures, expiry, signed headers and checksums."""
    endpoint = os.environ.get("STRICT_S3_ENDPOINT")
    if endpoint:
        _assert_checks_signatures(endpoint)
        yield endpoint
        return
    process, endpoint = _start_localstack()
    try:
        _assert_checks_signatures(endpoint)
        yield endpoint
    finally:
        process.communicate(timeout=30)  # closing its input stops LocalStack


@pytest.fixture
def strict_s3_storage(strict_s3_server, settings) -> Iterator[S3Storage]:
    """STORAGE_BACKEND=s3 on the strict S3 with a fresh bucket; yields get_storage()."""
    bucket = f"tonearm-strict-{uuid.uuid4().hex[:16]}"
    _client(strict_s3_server).create_bucket(Bucket=bucket)
    _use_s3(settings, endpoint_url=strict_s3_server, bucket=bucket)
    settings.AWS_ACCESS_KEY_ID = STRICT_S3_ACCESS_KEY
    settings.AWS_SECRET_ACCESS_KEY = STRICT_S3_SECRET_KEY
    get_storage.cache_clear()
    storage = get_storage()
    assert isinstance(storage, S3Storage)
    yield storage
    get_storage.cache_clear()
