"""Writes of portability: exporting an account's data to a zip in storage (the sections are
in sections.py), and deleting an account (deletion.py)."""

import logging
import tempfile
import uuid
import zipfile
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.api.errors import NotFound, ServiceUnavailable
from core.portability.models import DataExport, ExportStatus
from core.portability.sections import SECTIONS
from media_pipeline.storage import PresignedRequest, StorageError, get_storage

logger = logging.getLogger(__name__)


def _send(export_id: int, token: uuid.UUID) -> None:
    from core.portability.tasks import export_account

    export_account.enqueue(export_id, str(token))


@transaction.atomic
def export_create(*, user) -> DataExport:
    """Queue an export of everything `user` holds; a background job writes it."""
    export = DataExport.objects.create(user=user)
    pk, token = export.pk, export.token
    # robust: if the queue is down the export stays queued; asking again makes a new one.
    transaction.on_commit(lambda: _send(pk, token), robust=True)
    return export


def _claim(export_id: int, token: uuid.UUID) -> DataExport | None:
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id, token=token, status=ExportStatus.QUEUED)
            .first()
        )
        if export is not None:
            export.status = ExportStatus.RUNNING
            export.save(update_fields=["status"])
        return export


def export_run(*, export_id: int, token: str) -> str:
    """Write the export's zip to storage, section by section; returns its outcome."""
    export = _claim(export_id, uuid.UUID(token))
    if export is None:
        return "superseded"
    now = timezone.now()
    key = f"exports/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.zip"
    with tempfile.TemporaryFile(dir=settings.PIPELINE_WORK_DIR) as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, write in SECTIONS.items():
                with archive.open(name, "w", force_zip64=True) as out:
                    write(export.user, out)
        size = spool.tell()
        spool.seek(0)
        try:
            get_storage().upload_fileobj(key, spool, content_type="application/zip")
        except StorageError as exc:
            logger.warning("Storing export %s failed: %s", export_id, exc)
            DataExport.objects.filter(pk=export_id).update(
                status=ExportStatus.FAILED,
                failure_reason="Object storage was unavailable; ask for a new export.",
                finished_at=timezone.now(),
            )
            return ExportStatus.FAILED
    DataExport.objects.filter(pk=export_id).update(
        status=ExportStatus.READY, key=key, size=size, finished_at=timezone.now()
    )
    return ExportStatus.READY


def export_get(*, user, export_id: int) -> DataExport:
    export = DataExport.objects.filter(user=user, pk=export_id).first()
    if export is None:
        raise NotFound("Export not found.")
    return export


def export_download(export: DataExport, *, now: datetime | None = None) -> PresignedRequest | None:
    """A short-lived URL of a ready export's zip (EXPORT_URL_EXPIRY_SECONDS); None otherwise."""
    if export.status != ExportStatus.READY:
        return None
    expiry = settings.EXPORT_URL_EXPIRY_SECONDS
    try:
        presigned = get_storage().presign_download(
            export.key,
            expires_in=expiry,
            content_type="application/zip",
            filename=f"tonearm-export-{export.pk}.zip",
        )
    except StorageError as exc:
        raise ServiceUnavailable("Object storage is unavailable; try again later.") from exc
    if presigned.expires_at is None:
        now = now or timezone.now()
        presigned = PresignedRequest(
            method=presigned.method,
            url=presigned.url,
            headers=presigned.headers,
            expires_at=now + timedelta(seconds=expiry),
        )
    return presigned
