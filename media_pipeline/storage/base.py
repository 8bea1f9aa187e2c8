"""What Tonearm needs of object storage, whatever the backend."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime


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
