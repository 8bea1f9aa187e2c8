"""The embedded backend: objects on the local disk, uploads and downloads served by the app.

Layout under the root: `objects/<key>` holds the bytes, `meta/<key>.json` the content type,
SHA-256 and ETag, and `tmp/` the partial writes that become objects by an atomic link.
"""

import base64
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core import signing
from django.urls import reverse

from media_pipeline.storage.base import (
    ObjectInfo,
    ObjectNotFound,
    PresignedRequest,
    Storage,
    StorageError,
    StorageUnavailable,
)

CHUNK_SIZE = 64 * 1024
UPLOAD_SALT = "media_pipeline.storage.local.upload"
DOWNLOAD_SALT = "media_pipeline.storage.local.download"
_KEY_RE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")


class InvalidKey(StorageError, ValueError):
    """The key could escape the storage root or is not one the app generates."""


class ObjectExists(StorageError):
    """An upload refused to overwrite an existing object."""


class ChecksumMismatch(StorageError):
    """The stored bytes do not have the declared SHA-256."""


class IncompleteBody(StorageError):
    """The stream ended before, or ran past, the declared size."""


@dataclass(frozen=True)
class UploadGrant:
    """What a signed upload URL allows: exactly this object, once."""

    key: str
    content_type: str
    size: int
    sha256_hex: str | None


@dataclass(frozen=True)
class DownloadGrant:
    """What a signed download URL allows."""

    key: str
    content_type: str | None
    filename: str | None


class TokenExpired(StorageError):
    pass


class TokenInvalid(StorageError):
    pass


def validate_key(key: str) -> str:
    """Return `key` when it is a relative path of safe segments, else raise InvalidKey."""
    if len(key) > 500 or not _KEY_RE.fullmatch(key):
        raise InvalidKey("invalid object key")
    if any(part in {".", ".."} for part in key.split("/")):
        raise InvalidKey("invalid object key")
    return key


def sha256_base64(sha256_hex: str) -> str:
    return base64.b64encode(bytes.fromhex(sha256_hex)).decode("ascii")


def _now() -> float:
    return time.time()


def _sign(payload: dict, *, salt: str, expires_in: int) -> tuple[str, datetime]:
    expires = int(_now()) + expires_in
    token = signing.dumps({**payload, "x": expires}, salt=salt, compress=True)
    return token, datetime.fromtimestamp(expires, tz=UTC)


def _unsign(token: str, *, salt: str) -> dict:
    try:
        payload = signing.loads(token, salt=salt)
    except signing.BadSignature:
        raise TokenInvalid("signature does not match") from None
    if not isinstance(payload, dict) or payload.get("x", 0) < _now():
        raise TokenExpired("request has expired")
    return payload


def read_upload_token(token: str) -> UploadGrant:
    """The grant a signed upload URL carries; TokenInvalid or TokenExpired otherwise."""
    p = _unsign(token, salt=UPLOAD_SALT)
    return UploadGrant(key=p["k"], content_type=p["t"], size=p["s"], sha256_hex=p.get("h"))


def read_download_token(token: str) -> DownloadGrant:
    """The grant a signed download URL carries; TokenInvalid or TokenExpired otherwise."""
    p = _unsign(token, salt=DOWNLOAD_SALT)
    return DownloadGrant(key=p["k"], content_type=p.get("t"), filename=p.get("f"))


class LocalStorage(Storage):
    def __init__(self, root: Path, *, public_base_url: str):
        self.root = Path(root)
        self.public_base_url = public_base_url.rstrip("/")

    @classmethod
    def from_settings(cls) -> "LocalStorage":
        return cls(settings.LOCAL_STORAGE_ROOT, public_base_url=settings.PUBLIC_BASE_URL)

    def _object_path(self, key: str) -> Path:
        return self.root / "objects" / validate_key(key)

    def _meta_path(self, key: str) -> Path:
        return self.root / "meta" / f"{validate_key(key)}.json"

    def presign_upload(
        self,
        key: str,
        *,
        content_type: str,
        size: int,
        sha256_hex: str | None = None,
        expires_in: int,
    ) -> PresignedRequest:
        validate_key(key)
        payload = {"k": key, "t": content_type, "s": size}
        headers = {
            "Content-Type": content_type,
            "Content-Length": str(size),
            "If-None-Match": "*",
        }
        if sha256_hex:
            payload["h"] = sha256_hex.lower()
            headers["x-amz-checksum-sha256"] = sha256_base64(sha256_hex)
        token, expires_at = _sign(payload, salt=UPLOAD_SALT, expires_in=expires_in)
        url = self.public_base_url + reverse("storage-upload", args=[token])
        return PresignedRequest(method="PUT", url=url, headers=headers, expires_at=expires_at)

    def presign_download(
        self,
        key: str,
        *,
        expires_in: int,
        content_type: str | None = None,
        filename: str | None = None,
    ) -> PresignedRequest:
        validate_key(key)
        payload = {"k": key}
        if content_type:
            payload["t"] = content_type
        if filename:
            payload["f"] = filename
        token, expires_at = _sign(payload, salt=DOWNLOAD_SALT, expires_in=expires_in)
        url = self.public_base_url + reverse("storage-download", args=[token])
        return PresignedRequest(method="GET", url=url, expires_at=expires_at)

    def head(self, key: str) -> ObjectInfo:
        path = self._object_path(key)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise ObjectNotFound(key) from None
        except OSError as exc:
            raise StorageUnavailable("local storage unreadable") from exc
        meta = self._read_meta(key)
        return ObjectInfo(
            size=size,
            content_type=meta.get("content_type") or "application/octet-stream",
            checksum_sha256=meta.get("sha256"),
            etag=meta.get("etag"),
        )

    def read_range(self, key: str, start: int, end: int) -> bytes:
        if start < 0 or end < start:
            raise ValueError("invalid byte range")
        with self.open(key) as f:
            f.seek(start)
            return f.read(end - start + 1)

    def delete(self, key: str) -> None:
        for path in (self._object_path(key), self._meta_path(key)):
            path.unlink(missing_ok=True)

    def ping(self) -> None:
        try:
            for name in ("objects", "meta", "tmp"):
                (self.root / name).mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.root / "tmp"):
                pass
        except OSError as exc:
            raise StorageUnavailable("local storage not writable") from exc

    def upload_fileobj(self, key: str, fileobj: BinaryIO, *, content_type: str) -> ObjectInfo:
        chunks = iter(lambda: fileobj.read(CHUNK_SIZE), b"")
        return self.write(key, chunks, content_type=content_type, overwrite=True)

    def download_to_file(self, key: str, fileobj: BinaryIO) -> None:
        with self.open(key) as f:
            for chunk in iter(lambda: f.read(CHUNK_SIZE), b""):
                fileobj.write(chunk)

    def open(self, key: str) -> BinaryIO:
        """The object's bytes as a binary file; ObjectNotFound if absent."""
        try:
            return self._object_path(key).open("rb")
        except FileNotFoundError:
            raise ObjectNotFound(key) from None

    def exists(self, key: str) -> bool:
        return self._object_path(key).exists()

    def write(
        self,
        key: str,
        chunks: Iterator[bytes],
        *,
        content_type: str,
        size: int | None = None,
        sha256_hex: str | None = None,
        overwrite: bool = False,
    ) -> ObjectInfo:
        """Store the chunks at `key` atomically: readers see the whole object or none of it.

        With `size` or `sha256_hex` the bytes must match them (IncompleteBody, ChecksumMismatch);
        without `overwrite` an existing object is kept and ObjectExists raised.
        """
        path = self._object_path(key)
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        sha, md5, written = hashlib.sha256(), hashlib.md5(usedforsecurity=False), 0
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    written += len(chunk)
                    if size is not None and written > size:
                        raise IncompleteBody("body longer than declared")
                    sha.update(chunk)
                    md5.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if size is not None and written != size:
                raise IncompleteBody("body shorter than declared")
            if sha256_hex and sha.hexdigest() != sha256_hex.lower():
                raise ChecksumMismatch("body does not match the declared SHA-256")
            meta = {
                "content_type": content_type,
                "sha256": sha.hexdigest(),
                "etag": md5.hexdigest(),
            }
            path.parent.mkdir(parents=True, exist_ok=True)
            if overwrite:
                os.replace(tmp_name, path)
            else:
                try:
                    # link() refuses an existing target, so two racing uploads cannot both win.
                    os.link(tmp_name, path)
                except FileExistsError:
                    raise ObjectExists(key) from None
            self._write_meta(key, meta)
        finally:
            Path(tmp_name).unlink(missing_ok=True)
        return ObjectInfo(
            size=written,
            content_type=content_type,
            checksum_sha256=meta["sha256"],
            etag=meta["etag"],
        )

    def _read_meta(self, key: str) -> dict:
        try:
            return json.loads(self._meta_path(key).read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def _write_meta(self, key: str, meta: dict) -> None:
        meta_path = self._meta_path(key)
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self.root / "tmp")
        with os.fdopen(fd, "w") as out:
            json.dump(meta, out)
        os.replace(tmp_name, meta_path)
