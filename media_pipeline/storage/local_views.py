"""The local backend's signed upload and download endpoints, answering like S3 would.

Plain Django views: clients reach them with presigned URLs, not with API credentials.
Errors use S3's XML error shape so a client handles both backends alike.
"""

import functools
import os
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from config.ints import INT64_MAX, parse_int
from media_pipeline.storage import get_storage
from media_pipeline.storage.base import (
    MultipartUploadNotFound,
    ObjectExists,
    ObjectNotFound,
    content_disposition,
)
from media_pipeline.storage.local import (
    CHUNK_SIZE,
    MAX_PART_SIZE,
    ChecksumMismatch,
    IncompleteBody,
    LocalStorage,
    TokenExpired,
    TokenInvalid,
    read_download_token,
    read_part_token,
    read_upload_token,
    sha256_base64,
)

# ASCII digits only: \d would take any script's digits.
_RANGE_RE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$")


def s3_error(status: int, code: str, message: str) -> HttpResponse:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
    )
    return HttpResponse(body, status=status, content_type="application/xml")


def _declared_length(request: HttpRequest) -> int | HttpResponse:
    """The Content-Length the client sent, or the error S3 answers without a usable one."""
    declared = request.headers.get("Content-Length")
    if not declared:
        return s3_error(411, "MissingContentLength", "Send the Content-Length header.")
    length = parse_int(declared)
    if length is None:
        return s3_error(400, "InvalidArgument", "Content-Length must be a number of bytes.")
    return length


@functools.cache
def _closed_key_check() -> Callable[[str], bool]:
    """Whether the upload slot of a key was closed (aborted or discarded): the domain knows,
    storage does not, so settings name the check (STORAGE_CLOSED_KEY_CHECK)."""
    path = settings.STORAGE_CLOSED_KEY_CHECK
    return import_string(path) if path else lambda key: False


def upload_slot_closed(key: str) -> bool:
    return _closed_key_check()(key)


def _local_storage() -> LocalStorage | None:
    storage = get_storage()
    return storage if isinstance(storage, LocalStorage) else None


def _request_chunks(request: HttpRequest, length: int) -> Iterator[bytes]:
    """The request body in bounded chunks, at most `length` bytes."""
    remaining = length
    while remaining > 0:
        chunk = request.read(min(CHUNK_SIZE, remaining))
        if not chunk:
            return
        remaining -= len(chunk)
        yield chunk


def _read_grant(token: str, reader):
    """The grant a signed upload or part token carries, or the S3-style refusal of the token."""
    try:
        return reader(token)
    except TokenExpired:
        return s3_error(403, "AccessDenied", "Request has expired.")
    except TokenInvalid:
        return s3_error(403, "SignatureDoesNotMatch", "The request signature does not match.")


@csrf_exempt
@require_http_methods(["PUT"])
def upload(request: HttpRequest, token: str) -> HttpResponse:
    """Store the request body as the object the signed token names, checking it like S3."""
    storage = _local_storage()
    if storage is None:
        return s3_error(404, "NoSuchUpload", "Uploads go to object storage directly.")
    grant = _read_grant(token, read_upload_token)
    if isinstance(grant, HttpResponse):
        return grant
    if upload_slot_closed(grant.key):
        return s3_error(403, "AccessDenied", "This upload was aborted or discarded.")

    if request.headers.get("Content-Type", "") != grant.content_type:
        return s3_error(403, "SignatureDoesNotMatch", "Content-Type differs from the signed one.")
    if request.headers.get("If-None-Match") != "*":
        return s3_error(403, "SignatureDoesNotMatch", "The signed If-None-Match: * is missing.")
    declared = _declared_length(request)
    if isinstance(declared, HttpResponse):
        return declared
    if declared != grant.size:
        return s3_error(400, "InvalidRequest", "Content-Length differs from the signed size.")
    if grant.sha256_hex:
        expected = sha256_base64(grant.sha256_hex)
        if request.headers.get("x-amz-checksum-sha256") != expected:
            return s3_error(
                400, "InvalidRequest", "x-amz-checksum-sha256 differs from the signed one."
            )
    if storage.exists(grant.key):
        return s3_error(412, "PreconditionFailed", "An object already exists at this key.")

    try:
        info = storage.write(
            grant.key,
            _request_chunks(request, grant.size),
            content_type=grant.content_type,
            size=grant.size,
            sha256_hex=grant.sha256_hex,
        )
    except IncompleteBody:
        return s3_error(400, "IncompleteBody", "The body is not Content-Length bytes long.")
    except ChecksumMismatch:
        return s3_error(400, "BadDigest", "The body does not match x-amz-checksum-sha256.")
    except ObjectExists:
        return s3_error(412, "PreconditionFailed", "An object already exists at this key.")
    response = HttpResponse(status=200)
    response["ETag"] = f'"{info.etag}"'
    if grant.sha256_hex:
        response["x-amz-checksum-sha256"] = sha256_base64(grant.sha256_hex)
    return response


@csrf_exempt
@require_http_methods(["PUT"])
def upload_part(request: HttpRequest, token: str) -> HttpResponse:
    """Store the request body as one part of a multipart upload; the ETag header names it."""
    storage = _local_storage()
    if storage is None:
        return s3_error(404, "NoSuchUpload", "Uploads go to object storage directly.")
    grant = _read_grant(token, read_part_token)
    if isinstance(grant, HttpResponse):
        return grant
    if upload_slot_closed(grant.key):
        return s3_error(404, "NoSuchUpload", "The specified multipart upload does not exist.")

    size = _declared_length(request)
    if isinstance(size, HttpResponse):
        return size
    if grant.size is not None and size != grant.size:
        return s3_error(400, "InvalidRequest", "Content-Length differs from the signed size.")
    if size > MAX_PART_SIZE:
        return s3_error(400, "EntityTooLarge", "A part may be at most 5 GiB.")
    try:
        part = storage.write_part(
            grant.key,
            grant.upload_id,
            grant.part_number,
            _request_chunks(request, size),
            size=size,
        )
    except MultipartUploadNotFound:
        return s3_error(404, "NoSuchUpload", "The specified multipart upload does not exist.")
    except IncompleteBody:
        return s3_error(400, "IncompleteBody", "The body is not Content-Length bytes long.")
    response = HttpResponse(status=200)
    response["ETag"] = part.etag
    return response


class RangeNotSatisfiable(Exception):
    pass


def _parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end) of a single satisfiable range, or None to send the whole object."""
    if not header:
        return None
    match = _RANGE_RE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None  # malformed or multiple ranges: S3 answers with the whole object
    first, last = match.groups()
    if first == "":
        suffix = _byte_position(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(size - suffix, 0), size - 1
    start = _byte_position(first)
    end = _byte_position(last) if last else None
    if end is not None and end < start:
        return None
    if start >= size:
        raise RangeNotSatisfiable
    return start, size - 1 if end is None else min(end, size - 1)


def _byte_position(digits: str) -> int:
    """A position of the Range header (ASCII digits); past 64 bits it lies beyond any object."""
    position = parse_int(digits)
    return INT64_MAX if position is None else position


def _file_chunks(f: BinaryIO, start: int, length: int) -> Iterator[bytes]:
    try:
        f.seek(start)
        remaining = length
        while remaining > 0:
            chunk = f.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk
    finally:
        f.close()


@csrf_exempt
@require_http_methods(["GET", "HEAD"])
def download(request: HttpRequest, token: str) -> HttpResponse:
    """Serve the object the signed token names, honouring a single HTTP Range like S3."""
    storage = _local_storage()
    if storage is None:
        return s3_error(404, "NoSuchKey", "The specified key does not exist.")
    try:
        grant = read_download_token(token)
    except TokenExpired:
        return s3_error(403, "AccessDenied", "Request has expired.")
    except TokenInvalid:
        return s3_error(403, "SignatureDoesNotMatch", "The request signature does not match.")
    try:
        info = storage.head(grant.key)
        f = storage.open(grant.key)
    except ObjectNotFound:
        return s3_error(404, "NoSuchKey", "The specified key does not exist.")

    stat = os.fstat(f.fileno())
    size = stat.st_size
    try:
        byte_range = _parse_range(request.headers.get("Range"), size)
    except RangeNotSatisfiable:
        f.close()
        response = s3_error(416, "InvalidRange", "The requested range is not satisfiable.")
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = byte_range if byte_range else (0, size - 1)
    length = end - start + 1
    if request.method == "HEAD":
        f.close()
        response = HttpResponse(status=206 if byte_range else 200)
    else:
        response = StreamingHttpResponse(
            _file_chunks(f, start, length), status=206 if byte_range else 200
        )
    response["Content-Type"] = grant.content_type or info.content_type
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(stat.st_mtime)
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if info.etag:
        response["ETag"] = f'"{info.etag}"'
    if grant.filename:
        response["Content-Disposition"] = content_disposition(grant.filename)
    return response
