"""The embedded backend: objects on the local disk, uploads and downloads served by the app.

Layout under the root: `objects/<key>` holds the bytes, `meta/<key>.json` the content type,
SHA-256 and ETag, and `tmp/` the partial writes that become objects by an atomic link.
Multipart uploads keep their parts in `tmp/multipart/<upload id>/`: `upload.json` (key, type,
start time), and per part `<number>` (the bytes) and `<number>.json` (size and ETag).
"""

import base64
import functools
import hashlib
import hmac
import json
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core import signing
from django.urls import get_script_prefix, get_urlconf, reverse

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
    quote_etag,
)

CHUNK_SIZE = 64 * 1024
UPLOAD_SALT = "media_pipeline.storage.local.upload"
DOWNLOAD_SALT = "media_pipeline.storage.local.download"
PART_SALT = "media_pipeline.storage.local.part"
MAX_PART_SIZE = 5 * 1024**3  # S3's limit
_UPLOAD_ID_RE = re.compile(r"^[0-9a-f]{32}$")
_KEY_RE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")


class InvalidKey(StorageError, ValueError):
    """The key could escape the storage root or is not one the app generates."""


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


@dataclass(frozen=True)
class PartGrant:
    """What a signed part URL allows: one part of one multipart upload, of `size` if set."""

    key: str
    upload_id: str
    part_number: int
    size: int | None


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


@functools.lru_cache(maxsize=16)
def _signing_key(salt: str, secret: str) -> bytes:
    """The HMAC key Django's signer derives from `salt` and the secret key on every signature."""
    return hashlib.sha256(f"{salt}signer{secret}".encode()).digest()


def _sign(payload: dict, *, salt: str, expires_in: int) -> tuple[str, datetime]:
    """A token as `django.core.signing.dumps(payload + expiry, salt=salt)` writes it, which
    `signing.loads` reads: the JSON in URL-safe base64, the time in base 62 and the SHA-256 HMAC,
    with the key derived once per salt rather than on every URL (a stream signs one).
    tests/media_pipeline/test_storage_local_urls.py holds the two equal.

    Not compressed: these payloads are a few short fields, which zlib seldom shortened and always
    spent time trying to. Compressed tokens issued before still read."""
    now = int(_now())
    data = json.dumps({**payload, "x": now + expires_in}, separators=(",", ":"))
    value = f"{signing.b64_encode(data.encode('latin-1')).decode()}:{signing.b62_encode(now)}"
    mac = hmac.digest(_signing_key(salt, settings.SECRET_KEY), value.encode(), "sha256")
    token = f"{value}:{signing.b64_encode(mac).decode()}"
    return token, datetime.fromtimestamp(now + expires_in, tz=UTC)


@functools.lru_cache(maxsize=32)
def _route_prefix(name: str, script_prefix: str, urlconf: object) -> str:  # a path or module
    placeholder = "-"
    return reverse(name, args=[placeholder], urlconf=urlconf)[: -len(placeholder)]


def _route(name: str, token: str) -> str:
    """The path of the `name` route for `token` (a signer's output: URL-safe characters only),
    as reverse() gives it, without resolving the route again on every signed URL."""
    return _route_prefix(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF) + token


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


def read_part_token(token: str) -> PartGrant:
    """The grant a signed part URL carries; TokenInvalid or TokenExpired otherwise."""
    p = _unsign(token, salt=PART_SALT)
    return PartGrant(key=p["k"], upload_id=p["u"], part_number=p["n"], size=p.get("s"))


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
        url = self.public_base_url + _route("storage-upload", token)
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
        url = self.public_base_url + _route("storage-download", token)
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

    def create_multipart(self, key: str, *, content_type: str) -> str:
        validate_key(key)
        upload_id = uuid.uuid4().hex
        folder = self._multipart_dir(upload_id)
        try:
            folder.mkdir(parents=True)
            self._write_json(
                folder / "upload.json",
                {"key": key, "content_type": content_type, "initiated": _now()},
            )
        except OSError as exc:
            raise StorageUnavailable("local storage not writable") from exc
        return upload_id

    def presign_part(
        self,
        key: str,
        upload_id: str,
        part_number: int,
        *,
        expires_in: int,
        size: int | None = None,
    ) -> PresignedRequest:
        validate_key(key)
        payload: dict = {"k": key, "u": upload_id, "n": part_number}
        headers = {}
        if size is not None:
            payload["s"] = size
            headers["Content-Length"] = str(size)
        token, expires_at = _sign(payload, salt=PART_SALT, expires_in=expires_in)
        url = self.public_base_url + _route("storage-part", token)
        return PresignedRequest(method="PUT", url=url, headers=headers, expires_at=expires_at)

    def write_part(
        self, key: str, upload_id: str, part_number: int, chunks: Iterator[bytes], *, size: int
    ) -> PartInfo:
        """Store one part of exactly `size` bytes; a shorter stream stores nothing."""
        folder, _ = self._open_multipart(key, upload_id)
        md5, written = hashlib.md5(usedforsecurity=False), 0
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp_dir())
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    written += len(chunk)
                    if written > size:
                        raise IncompleteBody("body longer than declared")
                    md5.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if written != size:
                raise IncompleteBody("body shorter than declared")
            etag = quote_etag(md5.hexdigest())
            try:
                os.replace(tmp_name, folder / str(part_number))
                self._write_json(folder / f"{part_number}.json", {"size": size, "etag": etag})
            except FileNotFoundError:
                raise MultipartUploadNotFound(upload_id) from None  # aborted meanwhile
        finally:
            Path(tmp_name).unlink(missing_ok=True)
        return PartInfo(part_number=part_number, size=size, etag=etag)

    def list_parts(self, key: str, upload_id: str) -> list[PartInfo]:
        folder, _ = self._open_multipart(key, upload_id)
        parts = []
        for meta_path in folder.glob("*.json"):
            if not meta_path.stem.isdigit():
                continue
            try:
                meta = json.loads(meta_path.read_text())
            except (FileNotFoundError, ValueError):
                continue
            parts.append(
                PartInfo(part_number=int(meta_path.stem), size=meta["size"], etag=meta["etag"])
            )
        return sorted(parts, key=lambda part: part.part_number)

    def complete_multipart(
        self, key: str, upload_id: str, parts: list[tuple[int, str]]
    ) -> ObjectInfo:
        folder, meta = self._open_multipart(key, upload_id)
        numbers = [number for number, _ in parts]
        if not numbers:
            raise InvalidPart("InvalidPart", "no parts given")
        if numbers != sorted(set(numbers)):
            raise InvalidPart("InvalidPartOrder", "parts must be in ascending order")
        sizes = []
        for number in numbers:
            try:
                sizes.append((folder / str(number)).stat().st_size)
            except FileNotFoundError:
                raise InvalidPart("InvalidPart", f"part {number} was not uploaded") from None
        if any(size < settings.UPLOAD_MIN_PART_SIZE for size in sizes[:-1]):
            raise InvalidPart("EntityTooSmall", "a part but the last is below the minimum size")
        if self.exists(key):
            raise ObjectExists(key)
        try:
            info = self.write(
                key,
                self._assembled(folder, parts),
                content_type=meta["content_type"],
                size=sum(sizes),
            )
        except IncompleteBody:
            raise InvalidPart("InvalidPart", "a part was replaced during completion") from None
        self._remove_multipart(folder)
        return info

    def abort_multipart(self, key: str, upload_id: str) -> None:
        folder, _ = self._open_multipart(key, upload_id)
        self._remove_multipart(folder)

    def list_multipart_uploads(self, prefix: str) -> list[MultipartUploadInfo]:
        uploads = []
        try:
            folders = list((self._tmp_dir() / "multipart").iterdir())
        except FileNotFoundError:
            return []
        for folder in folders:
            try:
                meta = json.loads((folder / "upload.json").read_text())
            except (FileNotFoundError, NotADirectoryError, ValueError):
                continue
            if meta["key"].startswith(prefix):
                uploads.append(
                    MultipartUploadInfo(
                        key=meta["key"],
                        upload_id=folder.name,
                        initiated=datetime.fromtimestamp(meta["initiated"], tz=UTC),
                    )
                )
        return uploads

    def _tmp_dir(self) -> Path:
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        return tmp_dir

    def _multipart_dir(self, upload_id: str) -> Path:
        if not _UPLOAD_ID_RE.fullmatch(upload_id):
            raise MultipartUploadNotFound(upload_id)
        return self.root / "tmp" / "multipart" / upload_id

    def _open_multipart(self, key: str, upload_id: str) -> tuple[Path, dict]:
        """The folder and metadata of the upload open at `key`; MultipartUploadNotFound if none."""
        validate_key(key)
        folder = self._multipart_dir(upload_id)
        try:
            meta = json.loads((folder / "upload.json").read_text())
        except (FileNotFoundError, NotADirectoryError, ValueError):
            raise MultipartUploadNotFound(upload_id) from None
        if meta.get("key") != key:
            raise MultipartUploadNotFound(upload_id)
        return folder, meta

    def _assembled(self, folder: Path, parts: list[tuple[int, str]]) -> Iterator[bytes]:
        """The parts' bytes in order, each checked against the ETag the client named."""
        for number, etag in parts:
            md5 = hashlib.md5(usedforsecurity=False)
            with (folder / str(number)).open("rb") as f:
                for chunk in iter(lambda f=f: f.read(CHUNK_SIZE), b""):
                    md5.update(chunk)
                    yield chunk
            if quote_etag(md5.hexdigest()) != quote_etag(etag):
                raise InvalidPart("InvalidPart", f"part {number} has another ETag")

    def _remove_multipart(self, folder: Path) -> None:
        # Renamed first: part uploads racing the removal find the upload gone, not half there.
        trash = self._tmp_dir() / f"removed-{uuid.uuid4().hex}"
        try:
            folder.rename(trash)
        except FileNotFoundError:
            return
        shutil.rmtree(trash, ignore_errors=True)

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
        self._write_json(meta_path, meta)

    def _write_json(self, path: Path, data: dict) -> None:
        """Replace `path` with `data` atomically."""
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp_dir())
        try:
            with os.fdopen(fd, "w") as out:
                json.dump(data, out)
            os.replace(tmp_name, path)
        finally:
            Path(tmp_name).unlink(missing_ok=True)
