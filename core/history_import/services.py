"""Writes of history imports: the upload slot for a history file, starting an import, and
re-sending the runs of crashed workers. The run itself: run.py."""

import logging
import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.api.errors import InvalidInput, NotFound, ServiceUnavailable
from core.history_import.models import HistoryImport, ImportStatus
from core.uploads.models import Upload, UploadStatus
from core.uploads.services import validate_filename
from media_pipeline.storage import ObjectNotFound, PresignedRequest, StorageError, get_storage

logger = logging.getLogger(__name__)

# Content type -> the extension of the stored object's key.
IMPORT_TYPES = {
    "application/json": "json",
    "application/zip": "zip",
    "text/csv": "csv",
    "application/x-ndjson": "jsonl",
    "text/plain": "txt",
}
KEY_PREFIX = "imports/"


def _validate(content_type: str, size: int) -> str:
    essence = content_type.split(";")[0].strip().lower()
    if essence not in IMPORT_TYPES:
        raise InvalidInput(
            f"Unsupported content type {content_type!r}; accepted: {', '.join(IMPORT_TYPES)}.",
            field="content_type",
        )
    if size < 1:
        raise InvalidInput("The file must not be empty.", field="size")
    if size > settings.IMPORT_MAX_BYTES:
        raise InvalidInput(
            f"The file is larger than the limit of {settings.IMPORT_MAX_BYTES} bytes.",
            field="size",
        )
    return essence


@transaction.atomic
def import_upload_start(
    *, user, filename: str, content_type: str, size: int, sha256: str | None = None
) -> tuple[Upload, PresignedRequest]:
    """Reserve a key for a listening-history file of `user` and presign the PUT that fills it:
    an upload slot like an audio file's, under `imports/`, one PUT (at most IMPORT_MAX_BYTES)."""
    filename = validate_filename(filename)
    content_type = _validate(content_type, size)
    now = timezone.now()
    upload = Upload(
        user=user,
        key=f"{KEY_PREFIX}{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{IMPORT_TYPES[content_type]}",
        filename=filename,
        content_type=content_type,
        size=size,
        sha256=(sha256 or "").lower(),
        expires_at=now + timedelta(seconds=settings.UPLOAD_REGISTER_WINDOW_SECONDS),
    )
    upload.full_clean()
    storage = get_storage()
    try:
        storage.ensure_reachable(max_age=settings.STORAGE_PROBE_SECONDS)
        upload.save()
        presigned = storage.presign_upload(
            upload.key,
            content_type=content_type,
            size=size,
            sha256_hex=upload.sha256 or None,
            expires_in=settings.UPLOAD_URL_EXPIRY_SECONDS,
        )
    except StorageError as exc:
        logger.warning("Refusing an import slot: storage failed: %s", exc)
        raise ServiceUnavailable("Object storage is unavailable; try again later.") from exc
    if presigned.expires_at is None:
        presigned = replace(
            presigned, expires_at=now + timedelta(seconds=settings.UPLOAD_URL_EXPIRY_SECONDS)
        )
    return upload, presigned


def _send(import_id: int, token: uuid.UUID) -> None:
    from core.history_import.tasks import import_history

    import_history.enqueue(import_id, str(token))


def _queue(job: HistoryImport) -> None:
    job.status = ImportStatus.QUEUED
    job.token = uuid.uuid4()
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "token", "heartbeat_at"])
    pk, token = job.pk, job.token
    # robust: if the queue is down the import stays queued and the sweep sends it later.
    transaction.on_commit(lambda: _send(pk, token), robust=True)


@transaction.atomic
def import_create(*, user, upload_id: uuid.UUID) -> HistoryImport:
    """Start importing the history file uploaded to one's own slot; the run happens in the
    background (run.py). The file must be stored with the size its slot declared."""
    upload = (
        Upload.objects.select_for_update()
        .filter(pk=upload_id, user=user, key__startswith=KEY_PREFIX)
        .first()
    )
    if upload is None:
        raise NotFound("Upload not found.")
    if upload.status == UploadStatus.REGISTERED:
        raise InvalidInput(
            "This upload is already being imported.", field="upload_id", code="already_registered"
        )
    if upload.status == UploadStatus.DISCARDED or upload.expires_at <= timezone.now():
        raise InvalidInput(
            "The upload expired; start a new one.", field="upload_id", code="upload_expired"
        )
    try:
        info = get_storage().head(upload.key)
    except ObjectNotFound:
        raise InvalidInput(
            "No object uploaded: PUT the file to the presigned URL first.",
            field="upload_id",
            code="no_object_uploaded",
        ) from None
    except StorageError as exc:
        logger.warning("Heading import upload %s failed: %s", upload.key, exc)
        raise ServiceUnavailable("Object storage is unavailable; try again later.") from exc
    if info.size != upload.size:
        raise InvalidInput(
            f"Size mismatch: the uploaded object has {info.size} bytes, "
            f"the upload declared {upload.size}.",
            field="upload_id",
            code="size_mismatch",
        )
    upload.status = UploadStatus.REGISTERED
    upload.save(update_fields=["status"])
    job = HistoryImport.objects.create(user=user, upload=upload, filename=upload.filename)
    _queue(job)
    return job


def stale_imports(*, now: datetime | None = None):
    """Imports whose run went silent (a dead worker) or whose task never started."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.IMPORT_STALE_AFTER_SECONDS)
    return HistoryImport.objects.filter(
        Q(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]), heartbeat_at__lt=cutoff
    )


def imports_resume_stale() -> list[int]:
    """Re-send every stale import with a new token: it resumes from its last committed batch,
    and the dead run, should it wake, may no longer write. Returns the ids re-sent."""
    resent = []
    for pk in stale_imports().values_list("pk", flat=True):
        with transaction.atomic():
            job = stale_imports().select_for_update(skip_locked=True).filter(pk=pk).first()
            if job is None:
                continue
            _queue(job)
            resent.append(pk)
    return resent
