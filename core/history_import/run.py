"""One run of a history import: download the file, read it once to check it whole (an
unreadable file fails and writes nothing), then read it again and store its listens in
batches of IMPORT_BATCH_ROWS, one transaction each, from the last committed batch on."""

import logging
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.history_import.formats import Format, Row, Skip, UnreadableFile, read_file
from core.history_import.listens import listens_store
from core.history_import.matching import CatalogIndex
from core.history_import.models import HistoryImport, ImportStatus
from core.uploads.models import Upload, UploadStatus
from media_pipeline.storage import ObjectNotFound, StorageError, get_storage

logger = logging.getLogger(__name__)

SKIPPED_EXAMPLES = 10


class Superseded(Exception):
    """The import was re-sent to another run: this one must stop writing."""


@dataclass
class _Batch:
    start: int
    end: int = 0
    rows: dict[str, list[Row]] = field(default_factory=dict)
    skips: list[tuple[int, str]] = field(default_factory=list)


def _claim(import_id: int, token: uuid.UUID) -> HistoryImport | None:
    with transaction.atomic():
        job = (
            HistoryImport.objects.select_for_update()
            .filter(
                pk=import_id, token=token, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
            )
            .first()
        )
        if job is None:
            return None
        now = timezone.now()
        job.status = ImportStatus.RUNNING
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        job.save(update_fields=["status", "started_at", "heartbeat_at"])
        return job


def _finish(job: HistoryImport, *, reason: str = "") -> None:
    with transaction.atomic():
        updated = HistoryImport.objects.filter(
            pk=job.pk, token=job.token, status=ImportStatus.RUNNING
        ).update(
            status=ImportStatus.FAILED if reason else ImportStatus.DONE,
            failure_reason=reason,
            finished_at=timezone.now(),
        )
    if not updated:
        raise Superseded


def _discard_file(job: HistoryImport) -> None:
    """Delete the uploaded file once its import ended: it holds what Tonearm does not keep
    (Spotify's IP addresses, for one). A failure leaves it to the upload cleanup."""
    upload = job.upload
    if upload is None:
        return
    try:
        get_storage().delete(upload.key)
    except StorageError as exc:
        logger.warning("Could not delete the file of import %s: %s", job.pk, exc)
        return
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.DISCARDED)


def _inspect(path: Path) -> tuple[int, str]:
    """(rows, formats) of the whole file; raises UnreadableFile."""
    rows = 0
    names: list[str] = []
    with path.open("rb") as stream:
        for fmt, _ in read_file(stream, count_only=True):
            rows += 1
            if fmt.name not in names:
                names.append(fmt.name)
    return rows, ",".join(names)


def _commit(job: HistoryImport, batch: _Batch, index: CatalogIndex) -> None:
    with transaction.atomic():
        locked = (
            HistoryImport.objects.select_for_update()
            .filter(pk=job.pk, token=job.token, status=ImportStatus.RUNNING)
            .first()
        )
        if locked is None or locked.rows_done != batch.start:
            raise Superseded
        totals = Counter()
        for source, rows in batch.rows.items():
            result = listens_store(user=job.user, source=source, rows=rows, index=index)
            totals.update(
                imported=result.imported,
                duplicates=result.duplicates,
                matched=result.matched,
                unmatched=result.unmatched,
            )
        reasons = dict(locked.skipped_reasons)
        for _, reason in batch.skips:
            reasons[reason] = reasons.get(reason, 0) + 1
        examples = list(locked.skipped_examples)
        room = SKIPPED_EXAMPLES - len(examples)
        examples += [{"row": n, "reason": r} for n, r in batch.skips[: max(room, 0)]]
        HistoryImport.objects.filter(pk=job.pk).update(
            rows_done=batch.end,
            imported=F("imported") + totals["imported"],
            duplicates=F("duplicates") + totals["duplicates"],
            matched=F("matched") + totals["matched"],
            unmatched=F("unmatched") + totals["unmatched"],
            skipped=F("skipped") + len(batch.skips),
            skipped_reasons=reasons,
            skipped_examples=examples,
            heartbeat_at=timezone.now(),
        )
    job.rows_done = batch.end


def _store(job: HistoryImport, path: Path) -> None:
    index = CatalogIndex()
    size = settings.IMPORT_BATCH_ROWS
    batch = _Batch(start=job.rows_done)
    count = 0
    with path.open("rb") as stream:
        for number, (fmt, item) in enumerate(read_file(stream)):
            if number < job.rows_done:
                continue  # committed by an earlier run
            if isinstance(item, Skip):
                batch.skips.append((number + 1, item.reason))
            else:
                batch.rows.setdefault(_source(fmt), []).append(item)
            count += 1
            batch.end = number + 1
            if count == size:
                _commit(job, batch, index)
                batch, count = _Batch(start=batch.end), 0
    if count:
        _commit(job, batch, index)


def _source(fmt: Format) -> str:
    return str(fmt.source)


def import_run(*, import_id: int, token: str) -> str:
    """Run the import `import_id` if `token` still names its run; returns its outcome."""
    job = _claim(import_id, uuid.UUID(token))
    if job is None:
        return "superseded"
    try:
        with tempfile.TemporaryDirectory(dir=settings.PIPELINE_WORK_DIR) as workdir:
            path = Path(workdir) / "history"
            try:
                with path.open("wb") as out:
                    get_storage().download_to_file(job.upload.key, out)
            except (ObjectNotFound, AttributeError):
                _finish(job, reason="The uploaded file is gone; upload it again.")
                return ImportStatus.FAILED
            try:
                rows, names = _inspect(path)
            except UnreadableFile as exc:
                _finish(job, reason=str(exc))
                _discard_file(job)
                return ImportStatus.FAILED
            HistoryImport.objects.filter(pk=job.pk, token=job.token).update(
                rows_total=rows, format=names
            )
            _store(job, path)
        _finish(job)
        _discard_file(job)
    except Superseded:
        logger.info("Import %s was re-sent to another run; this one stops", import_id)
        return "superseded"
    return ImportStatus.DONE
