"""Objects that reach an upload slot after it was aborted or discarded, and their removal.

Closing a slot deletes its object, but S3 cannot revoke a presigned PUT: until the URL expires
it can still store an object under the slot's key. On either backend, a PUT already under way
when the slot closed can also finish after the delete. The cleanup looks again at every slot
closed while one of its URLs could still be in use.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from core.uploads.models import Upload, UploadStatus
from media_pipeline.storage import ObjectNotFound, StorageError, get_storage

logger = logging.getLogger(__name__)

# A PUT that began just before its URL expired may still be sending a large body.
LATE_PUT_GRACE = timedelta(days=1)


@dataclass
class SweepReport:
    deleted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def upload_slot_closed(key: str) -> bool:
    """True when the slot of `key` was aborted or discarded: its URLs must store nothing."""
    return Upload.objects.filter(key=key, status=UploadStatus.DISCARDED).exists()


def discarded_uploads_to_sweep(*, now: datetime | None = None) -> QuerySet[Upload]:
    """Closed slots one of whose URLs may still store an object. Every URL of a slot is issued
    before its registration window closes (`expires_at`) and lives UPLOAD_URL_EXPIRY_SECONDS."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.UPLOAD_URL_EXPIRY_SECONDS) - LATE_PUT_GRACE
    return Upload.objects.filter(status=UploadStatus.DISCARDED, expires_at__gt=cutoff)


def uploads_sweep_discarded(*, dry_run: bool = False) -> SweepReport:
    """Delete any object that appeared under a closed slot's key; a failure is retried later."""
    report = SweepReport()
    storage = get_storage()
    for key in discarded_uploads_to_sweep().values_list("key", flat=True).iterator():
        try:
            storage.head(key)
            if not dry_run:
                storage.delete(key)
        except ObjectNotFound:
            continue
        except StorageError as exc:
            logger.warning("Could not delete the late object of discarded upload %s: %s", key, exc)
            report.failed[key] = str(exc) or exc.__class__.__name__
            continue
        report.deleted.append(key)
    return report
