"""Direct-to-storage uploads: the server makes the key, the client PUTs the bytes itself."""

import logging
import uuid
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.api.errors import Forbidden, InvalidInput, ServiceUnavailable
from core.artists.permissions import can_start_uploads
from core.text import refused_characters
from core.uploads.models import Upload, UploadStatus
from core.uploads.multipart import MultipartStart, multipart_start, needs_multipart
from media_pipeline.audio import formats
from media_pipeline.storage import ObjectNotFound, PresignedRequest, StorageError, get_storage

logger = logging.getLogger(__name__)

_FORBIDDEN_FILENAME_CHARACTERS = set('/\\:*?"<>|')


def validate_filename(filename: str) -> str:
    """A bare file name under the names' text policy (core/text.py): no path separators, no
    control, bidirectional or invisible formatting characters, not `.` or `..`."""
    filename = filename.strip()
    if not filename or filename in {".", ".."}:
        raise InvalidInput("Give the file's name.", field="filename")
    if len(filename) > 255:
        raise InvalidInput("The file name is longer than 255 characters.", field="filename")
    if refused_characters(filename) or _FORBIDDEN_FILENAME_CHARACTERS.intersection(filename):
        raise InvalidInput(
            "The file name must be a bare name without control, bidirectional or invisible "
            "formatting characters, "
            'slashes or any of : * ? " < > |.',
            field="filename",
        )
    return filename


def validate_audio_content_type(content_type: str) -> str:
    accepted = formats.upload_type(content_type)
    if accepted is None:
        raise InvalidInput(
            f"Unsupported content type {content_type!r}; "
            f"accepted: {', '.join(sorted(formats.UPLOAD_TYPES))}.",
            field="content_type",
        )
    return accepted


def validate_size(size: int) -> int:
    if size < 1:
        raise InvalidInput("The file must not be empty.", field="size")
    if size > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput(
            f"The file is larger than the limit of {settings.UPLOAD_MAX_BYTES} bytes.",
            field="size",
        )
    return size


def new_upload_key(content_type: str, *, now: datetime | None = None) -> str:
    """`audio/<yyyy>/<mm>/<uuid>.<ext>`: never derived from anything the client named."""
    now = now or timezone.now()
    return f"audio/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{formats.UPLOAD_TYPES[content_type]}"


@transaction.atomic
def upload_start(
    *, user, filename: str, content_type: str, size: int, sha256: str | None = None
) -> tuple[Upload, PresignedRequest | MultipartStart]:
    """Reserve a key for `user` and presign the PUT that fills it, or, over
    UPLOAD_MULTIPART_THRESHOLD, open a multipart upload and presign its first parts."""
    if not can_start_uploads(user):
        raise Forbidden("Only uploaders and artists' managers may upload and register tracks.")
    filename = validate_filename(filename)
    content_type = validate_audio_content_type(content_type)
    size = validate_size(size)
    sha256 = sha256.lower() if sha256 else ""
    now = timezone.now()
    upload = Upload(
        user=user,
        key=new_upload_key(content_type, now=now),
        filename=filename,
        content_type=content_type,
        size=size,
        sha256=sha256,
        expires_at=now + timedelta(seconds=settings.UPLOAD_REGISTER_WINDOW_SECONDS),
    )
    upload.full_clean()
    storage = get_storage()
    try:
        storage.ensure_reachable(max_age=settings.STORAGE_PROBE_SECONDS)
    except StorageError as exc:
        logger.warning("Refusing upload slot while storage is unreachable: %s", exc)
        raise ServiceUnavailable("Object storage is unavailable; try again later.") from exc
    upload.save()
    if needs_multipart(size):
        return upload, multipart_start(upload=upload)
    try:
        presigned = storage.presign_upload(
            upload.key,
            content_type=content_type,
            size=size,
            sha256_hex=sha256 or None,
            expires_in=settings.UPLOAD_URL_EXPIRY_SECONDS,
        )
    except StorageError as exc:
        logger.warning("Presigning upload %s failed: %s", upload.key, exc)
        raise ServiceUnavailable("Object storage is unavailable; try again later.") from exc
    if presigned.expires_at is None:
        presigned = replace(
            presigned, expires_at=now + timedelta(seconds=settings.UPLOAD_URL_EXPIRY_SECONDS)
        )
    return upload, presigned


@dataclass
class CleanupReport:
    discarded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def expired_uploads(*, grace_seconds: int = 0):
    """Pending uploads whose registration window closed more than `grace_seconds` ago."""
    cutoff = timezone.now() - timedelta(seconds=grace_seconds)
    return Upload.objects.filter(status=UploadStatus.PENDING, expires_at__lt=cutoff)


def uploads_discard_expired(*, grace_seconds: int = 0, dry_run: bool = False) -> CleanupReport:
    """Delete the objects (and unfinished multipart parts) of expired pending uploads and mark
    them discarded.

    A storage failure leaves the upload pending so that the next run retries it."""
    report = CleanupReport()
    candidates = expired_uploads(grace_seconds=grace_seconds).values_list("pk", "key")
    if dry_run:
        report.discarded = [key for _, key in candidates]
        return report
    storage = get_storage()
    for pk, key in candidates.iterator():
        with transaction.atomic():
            # Lock so a registration that already holds this row finishes first, and
            # skip rows another cleanup run is working on.
            upload = (
                expired_uploads(grace_seconds=grace_seconds)
                .select_for_update(skip_locked=True)
                .filter(pk=pk)
                .first()
            )
            if upload is None:
                continue
            try:
                if upload.multipart_id and not upload.completed_at:
                    # Aborted already, or never started in the store: nothing left to drop.
                    with suppress(ObjectNotFound):
                        storage.abort_multipart(upload.key, upload.multipart_id)
                storage.delete(upload.key)
            except StorageError as exc:
                logger.warning("Could not delete expired upload %s: %s", upload.key, exc)
                report.failed[key] = str(exc) or exc.__class__.__name__
                continue
            upload.status = UploadStatus.DISCARDED
            upload.save(update_fields=["status"])
            report.discarded.append(key)
    return report
