"""The S3 backend on boto3: AWS S3, MinIO, Ceph, R2 and other S3-compatible stores."""

import base64
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings

from media_pipeline.storage.base import (
    ObjectInfo,
    ObjectNotFound,
    PresignedRequest,
    Storage,
    StorageError,
    StorageUnavailable,
    content_disposition,
)

logger = logging.getLogger(__name__)

_NOT_FOUND_CODES = {"404", "NoSuchKey", "NotFound"}
_session_lock = threading.Lock()
_session: boto3.session.Session | None = None
_TRANSFER = TransferConfig(multipart_threshold=64 * 1024**2, multipart_chunksize=16 * 1024**2)


def client_config(
    *,
    region: str,
    signature_version: str,
    addressing_style: str,
    connect_timeout: int,
    read_timeout: int,
    max_attempts: int,
) -> Config:
    """botocore Config for every S3 call the app makes."""
    return Config(
        region_name=region,
        signature_version=signature_version,
        s3={"addressing_style": addressing_style},
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"mode": "standard", "max_attempts": max_attempts},
        # Presigned URLs carry only the checksum we ask for, not a CRC32 botocore would add.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )


@contextmanager
def _translate_errors(key: str) -> Iterator[None]:
    """Turn botocore failures into storage errors whose text is safe to log, not to show."""
    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if code in _NOT_FOUND_CODES or (status == 404 and code != "NoSuchBucket"):
            raise ObjectNotFound(key) from None
        logger.warning("S3 refused a request on %s: %s (HTTP %s)", key, code, status)
        raise StorageUnavailable("object storage refused the request") from exc
    except BotoCoreError as exc:
        logger.warning("S3 unreachable for %s: %s", key, type(exc).__name__)
        raise StorageUnavailable("object storage unreachable") from exc


class S3Storage(Storage):
    def __init__(self, client: Any, bucket: str):
        self.client = client
        self.bucket = bucket

    @classmethod
    def from_settings(cls) -> "S3Storage":
        """The backend configured by the AWS_* settings; build it once per process and reuse."""
        config = client_config(
            region=settings.AWS_S3_REGION_NAME,
            signature_version=settings.AWS_S3_SIGNATURE_VERSION,
            addressing_style=settings.AWS_S3_ADDRESSING_STYLE,
            connect_timeout=settings.AWS_S3_CONNECT_TIMEOUT,
            read_timeout=settings.AWS_S3_READ_TIMEOUT,
            max_attempts=settings.AWS_S3_MAX_ATTEMPTS,
        )
        global _session
        # Sessions are not thread-safe; one kept for the process also keeps the parsed S3 model.
        with _session_lock:
            _session = _session or boto3.session.Session()
            client = _session.client(
                "s3",
                endpoint_url=settings.AWS_S3_ENDPOINT_URL,
                region_name=settings.AWS_S3_REGION_NAME,
                aws_access_key_id=settings.AWS_ACCESS_KEY_ID,
                aws_secret_access_key=settings.AWS_SECRET_ACCESS_KEY,
                config=config,
            )
        return cls(client, settings.AWS_STORAGE_BUCKET_NAME)

    def presign_upload(
        self,
        key: str,
        *,
        content_type: str,
        size: int,
        sha256_hex: str | None = None,
        expires_in: int,
    ) -> PresignedRequest:
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": key,
            "ContentType": content_type,
            "ContentLength": size,
            "IfNoneMatch": "*",
        }
        headers = {
            "Content-Type": content_type,
            "Content-Length": str(size),
            "If-None-Match": "*",
        }
        if sha256_hex:
            checksum = base64.b64encode(bytes.fromhex(sha256_hex)).decode("ascii")
            params["ChecksumSHA256"] = checksum
            headers["x-amz-checksum-sha256"] = checksum
        url = self._presign("put_object", params, expires_in)
        return PresignedRequest(
            method="PUT", url=url, headers=headers, expires_at=_expiry(expires_in)
        )

    def presign_download(
        self,
        key: str,
        *,
        expires_in: int,
        content_type: str | None = None,
        filename: str | None = None,
    ) -> PresignedRequest:
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": key}
        if content_type:
            params["ResponseContentType"] = content_type
        if filename:
            params["ResponseContentDisposition"] = content_disposition(filename)
        url = self._presign("get_object", params, expires_in)
        return PresignedRequest(method="GET", url=url, expires_at=_expiry(expires_in))

    def head(self, key: str) -> ObjectInfo:
        with _translate_errors(key):
            response = self.client.head_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
        return ObjectInfo(
            size=response["ContentLength"],
            content_type=response.get("ContentType") or "application/octet-stream",
            checksum_sha256=_sha256_hex(response.get("ChecksumSHA256")),
            etag=(response.get("ETag") or "").strip('"') or None,
        )

    def read_range(self, key: str, start: int, end: int) -> bytes:
        if start < 0 or end < start:
            raise ValueError("invalid byte range")
        with _translate_errors(key):
            try:
                response = self.client.get_object(
                    Bucket=self.bucket, Key=key, Range=f"bytes={start}-{end}"
                )
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") == "InvalidRange":
                    return b""  # start past the end: nothing there, as with a local file
                raise
            return response["Body"].read()

    def delete(self, key: str) -> None:
        with _translate_errors(key):
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def ping(self) -> None:
        try:
            with _translate_errors(self.bucket):
                self.client.head_bucket(Bucket=self.bucket)
        except ObjectNotFound:
            raise StorageUnavailable("bucket not found") from None

    def upload_fileobj(self, key: str, fileobj: BinaryIO, *, content_type: str) -> ObjectInfo:
        with _translate_errors(key):
            self.client.upload_fileobj(
                fileobj,
                self.bucket,
                key,
                ExtraArgs={"ContentType": content_type, "ChecksumAlgorithm": "SHA256"},
                Config=_TRANSFER,
            )
        return self.head(key)

    def download_to_file(self, key: str, fileobj: BinaryIO) -> None:
        with _translate_errors(key):
            self.client.download_fileobj(self.bucket, key, fileobj, Config=_TRANSFER)

    def _presign(self, operation: str, params: dict[str, Any], expires_in: int) -> str:
        # Signing is local (no request is sent), but a broken config still raises botocore errors.
        try:
            return self.client.generate_presigned_url(
                operation, Params=params, ExpiresIn=expires_in
            )
        except BotoCoreError as exc:
            logger.warning("S3 presign of %s failed: %s", operation, type(exc).__name__)
            raise StorageError("could not sign the request") from exc


def _expiry(expires_in: int) -> datetime:
    return datetime.now(tz=UTC) + timedelta(seconds=expires_in)


def _sha256_hex(checksum: str | None) -> str | None:
    """Hex of a full-object SHA-256; None for composite (multipart) checksums like `abc=-3`."""
    if not checksum or "-" in checksum:
        return None
    try:
        digest = base64.b64decode(checksum, validate=True)
    except ValueError:
        return None
    return digest.hex() if len(digest) == 32 else None
