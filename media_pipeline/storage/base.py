"""What Tonearm needs of object storage, whatever the backend."""

import re
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO
from urllib.parse import quote


class StorageError(Exception):
    """Base of storage failures."""


class ObjectNotFound(StorageError):
    """No object under that key."""


class StorageUnavailable(StorageError):
    """The store could not be reached or answered with a server error; worth a retry."""


class ObjectExists(StorageError):
    """A write refused to overwrite an existing object."""


class MultipartUploadNotFound(ObjectNotFound):
    """No multipart upload with that id at that key: never started, completed or aborted."""


class InvalidPart(StorageError):
    """Completion named a part that is missing, out of order, too small or of another ETag.

    `code` is S3's: InvalidPart, InvalidPartOrder or EntityTooSmall.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PresignedRequest:
    """A request the client makes itself: send exactly these headers with this method."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    expires_at: datetime | None = None


@dataclass(frozen=True)
class ObjectInfo:
    size: int
    content_type: str
    checksum_sha256: str | None = None  # hex, when the store knows it
    etag: str | None = None


@dataclass(frozen=True)
class PartInfo:
    """A stored part of a multipart upload; `etag` is quoted, as S3 sends it."""

    part_number: int
    size: int
    etag: str


@dataclass(frozen=True)
class MultipartUploadInfo:
    """A multipart upload in progress, as cleanup sees it."""

    key: str
    upload_id: str
    initiated: datetime


def quote_etag(etag: str) -> str:
    """`"abc"` for `abc` or `"abc"`: the form S3 sends and expects back."""
    return f'"{etag.strip().strip(chr(34))}"'


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition value naming `filename` (RFC 6266: ASCII fallback plus UTF-8 form)."""
    kind = "inline" if inline else "attachment"
    fallback = re.sub(r'[^\x20-\x7e]|["\\]', "_", filename) or "download"
    value = f'{kind}; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


class Storage(ABC):
    @abstractmethod
    def presign_upload(
        self,
        key: str,
        *,
        content_type: str,
        size: int,
        sha256_hex: str | None = None,
        expires_in: int,
    ) -> PresignedRequest:
        """A PUT that stores exactly `size` bytes of `content_type` at `key`, never overwriting."""

    @abstractmethod
    def presign_download(
        self,
        key: str,
        *,
        expires_in: int,
        content_type: str | None = None,
        filename: str | None = None,
    ) -> PresignedRequest:
        """A GET of the object that honours Range, answering with `content_type`."""

    @abstractmethod
    def head(self, key: str) -> ObjectInfo:
        """Size, type and checksum of the stored object; ObjectNotFound if absent."""

    @abstractmethod
    def read_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes start..end inclusive, like an HTTP Range."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""

    @abstractmethod
    def create_multipart(self, key: str, *, content_type: str) -> str:
        """Start a multipart upload to `key`; returns its upload id."""

    @abstractmethod
    def presign_part(
        self,
        key: str,
        upload_id: str,
        part_number: int,
        *,
        expires_in: int,
        size: int | None = None,
    ) -> PresignedRequest:
        """A PUT of one part (exactly `size` bytes when given); its response's ETag names it."""

    @abstractmethod
    def list_parts(self, key: str, upload_id: str) -> list[PartInfo]:
        """The parts stored so far, by part number; MultipartUploadNotFound if none is open."""

    @abstractmethod
    def complete_multipart(
        self, key: str, upload_id: str, parts: list[tuple[int, str]]
    ) -> ObjectInfo:
        """Assemble the (part_number, etag) parts, ascending, into the object at `key`.

        Never overwrites (ObjectExists); InvalidPart for a missing, mismatched or small part.
        """

    @abstractmethod
    def abort_multipart(self, key: str, upload_id: str) -> None:
        """Drop the upload and its parts; MultipartUploadNotFound if none is open."""

    @abstractmethod
    def list_multipart_uploads(self, prefix: str) -> list[MultipartUploadInfo]:
        """Multipart uploads in progress under `prefix`, for cleanup."""

    @abstractmethod
    def ping(self) -> None:
        """Check the store answers (readiness probes); StorageUnavailable if it does not."""

    # Signing a URL is local work: without this check a stream or upload URL would be issued,
    # and a history entry written, while the store that must serve it is down.
    _probe_lock = threading.Lock()
    _probe_checked_at: float = float("-inf")
    _probe_error: StorageUnavailable | None = None

    def ensure_reachable(self, *, max_age: float, retry_after: float = 1.0) -> None:
        """StorageUnavailable unless a ping succeeded within `max_age` seconds.

        Pings at most once per `max_age` while the store answers and once per `retry_after`
        while it does not, so the hot paths that sign URLs pay almost nothing for it.
        """
        now = time.monotonic()
        ttl = retry_after if self._probe_error else max_age
        if now - self._probe_checked_at >= ttl:
            with self._probe_lock:
                if now - self._probe_checked_at >= ttl:
                    try:
                        self.ping()
                    except StorageUnavailable as exc:
                        self._probe_error = exc
                    else:
                        self._probe_error = None
                    self._probe_checked_at = time.monotonic()
        if self._probe_error is not None:
            raise StorageUnavailable(str(self._probe_error))

    @abstractmethod
    def upload_fileobj(self, key: str, fileobj: BinaryIO, *, content_type: str) -> ObjectInfo:
        """Store a server-side stream at `key` (overwriting), in bounded memory."""

    @abstractmethod
    def download_to_file(self, key: str, fileobj: BinaryIO) -> None:
        """Write the whole object into `fileobj` in bounded memory; ObjectNotFound if absent."""
