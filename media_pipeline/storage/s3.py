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
    InvalidPart,
    MultipartUploadInfo,
    MultipartUploadNotFound,
    ObjectExists,
    ObjectInfo,
    ObjectNotFound,
    PartInfo,
    PresignedRequest,
    Storage,
    StorageError,
    StorageUnavailable,
    content_disposition,
    quote_etag,
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


_INVALID_PART_CODES = {"InvalidPart", "InvalidPartOrder", "EntityTooSmall"}


@contextmanager
def _translate_multipart_errors(key: str, upload_id: str) -> Iterator[None]:
    """Like _translate_errors, naming the multipart failures a caller acts on."""
    with _translate_errors(key):
        try:
            yield
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code == "NoSuchUpload":
                raise MultipartUploadNotFound(f"{key} ({upload_id})") from None
            if code in _INVALID_PART_CODES:
                raise InvalidPart(code, "object storage refused the parts") from None
            if code == "PreconditionFailed":
                raise ObjectExists(key) from None
            raise


class S3Storage(Storage):
    def __init__(self, client: Any, bucket: str, *, signing_client: Any | None = None):
        self.client = client
        self.bucket = bucket
        # URLs handed to clients are signed for the endpoint they reach, which behind Docker
        # or a proxy is not the one the app talks to (http://minio:9000).
        self.signing_client = signing_client or client

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

            def client_for(endpoint_url: str | None) -> Any:
                return _session.client(
                    "s3",
                    endpoint_url=endpoint_url,
                    region_name=settings.AWS_S3_REGION_NAME,
                    aws_access_key_id=settings.AWS_ACCESS_KEY_ID,
                    aws_secret_access_key=settings.AWS_SECRET_ACCESS_KEY,
                    config=config,
                )

            client = client_for(settings.AWS_S3_ENDPOINT_URL)
            public = settings.AWS_S3_PUBLIC_ENDPOINT_URL
            signing_client = client_for(public) if public else None
        return cls(client, settings.AWS_STORAGE_BUCKET_NAME, signing_client=signing_client)

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

    def create_multipart(self, key: str, *, content_type: str) -> str:
        with _translate_errors(key):
            response = self.client.create_multipart_upload(
                Bucket=self.bucket, Key=key, ContentType=content_type
            )
        return response["UploadId"]

    def presign_part(
        self,
        key: str,
        upload_id: str,
        part_number: int,
        *,
        expires_in: int,
        size: int | None = None,
    ) -> PresignedRequest:
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": key,
            "UploadId": upload_id,
            "PartNumber": part_number,
        }
        headers = {}
        if size is not None:
            params["ContentLength"] = size
            headers["Content-Length"] = str(size)
        url = self._presign("upload_part", params, expires_in)
        return PresignedRequest(
            method="PUT", url=url, headers=headers, expires_at=_expiry(expires_in)
        )

    def list_parts(self, key: str, upload_id: str) -> list[PartInfo]:
        parts: list[PartInfo] = []
        with _translate_multipart_errors(key, upload_id):
            pages = self.client.get_paginator("list_parts").paginate(
                Bucket=self.bucket, Key=key, UploadId=upload_id
            )
            for page in pages:
                parts.extend(
                    PartInfo(
                        part_number=part["PartNumber"],
                        size=part["Size"],
                        etag=quote_etag(part["ETag"]),
                    )
                    for part in page.get("Parts", [])
                )
        return sorted(parts, key=lambda part: part.part_number)

    def complete_multipart(
        self, key: str, upload_id: str, parts: list[tuple[int, str]]
    ) -> ObjectInfo:
        with _translate_multipart_errors(key, upload_id):
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={
                    "Parts": [
                        {"PartNumber": number, "ETag": quote_etag(etag)} for number, etag in parts
                    ]
                },
                # S3 then refuses to replace an object another upload completed at this key.
                IfNoneMatch="*",
            )
        return self.head(key)

    def abort_multipart(self, key: str, upload_id: str) -> None:
        with _translate_multipart_errors(key, upload_id):
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)

    def list_multipart_uploads(self, prefix: str) -> list[MultipartUploadInfo]:
        uploads: list[MultipartUploadInfo] = []
        with _translate_errors(prefix):
            pages = self.client.get_paginator("list_multipart_uploads").paginate(
                Bucket=self.bucket, Prefix=prefix
            )
            for page in pages:
                uploads.extend(
                    MultipartUploadInfo(
                        key=upload["Key"],
                        upload_id=upload["UploadId"],
                        initiated=upload["Initiated"],
                    )
                    for upload in page.get("Uploads", [])
                )
        return uploads

    def _presign(self, operation: str, params: dict[str, Any], expires_in: int) -> str:
        # Signing is local (no request is sent), but a broken config still raises botocore errors.
        try:
            return self.signing_client.generate_presigned_url(
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
