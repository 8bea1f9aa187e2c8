"""What Tonearm needs of object storage, whatever the backend."""

import re
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

    def ping(self) -> None:
        """Check the store answers (readiness probes); StorageUnavailable if it does not."""
        raise NotImplementedError

    def upload_fileobj(self, key: str, fileobj: BinaryIO, *, content_type: str) -> ObjectInfo:
        """Store a server-side stream at `key` (overwriting), in bounded memory."""
        raise NotImplementedError

    def download_to_file(self, key: str, fileobj: BinaryIO) -> None:
        """Write the whole object into `fileobj` in bounded memory; ObjectNotFound if absent."""
        raise NotImplementedError
