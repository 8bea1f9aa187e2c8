"""Multipart uploads: a large file goes to storage in parts the client sends itself.

`multipart_start` opens the upload in storage for a fresh Upload row; the owner then presigns
parts, lists what is stored (to resume after a dropped connection), completes or aborts.
A completed upload registers like a single PUT (`POST /api/tracks/`).
"""

import contextlib
import itertools
import logging
import math
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.api.errors import Forbidden, InvalidInput, NotFound, ServiceUnavailable
from core.artists.permissions import can_start_uploads
from core.uploads.models import Upload, UploadStatus
from media_pipeline.storage import (
    InvalidPart,
    MultipartUploadNotFound,
    ObjectExists,
    ObjectInfo,
    ObjectNotFound,
    PartInfo,
    PresignedRequest,
    Storage,
    StorageError,
    get_storage,
)
from media_pipeline.storage.base import quote_etag

logger = logging.getLogger(__name__)

MiB = 1024**2
MAX_PARTS = 10_000  # S3's limit
FIRST_BATCH = 100  # parts presigned when the upload starts; the rest on demand
PRESIGN_BATCH_MAX = 1000
UPLOAD_KEY_PREFIX = "audio/"


class UploadState:
    """What an upload is waiting for, as its owner sees it."""

    PENDING = "pending"  # the bytes (every part, then completion) or registration
    COMPLETED = "completed"  # multipart parts assembled: register it next
    REGISTERED = "registered"
    DISCARDED = "discarded"  # aborted or cleaned up
    EXPIRED = "expired"

    choices = (PENDING, COMPLETED, REGISTERED, DISCARDED, EXPIRED)


@dataclass(frozen=True)
class PresignedPart:
    part_number: int
    request: PresignedRequest


@dataclass(frozen=True)
class MultipartStart:
    """What a client needs to send a multipart upload: the layout and the first part URLs."""

    part_size: int
    part_count: int
    parts: list[PresignedPart]


@dataclass
class StaleMultipartReport:
    aborted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def needs_multipart(size: int) -> bool:
    return size > settings.UPLOAD_MULTIPART_THRESHOLD


def multipart_part_size(size: int) -> int:
    """UPLOAD_PART_SIZE, grown by whole MiB when the file would need more than 10,000 parts."""
    part_size = settings.UPLOAD_PART_SIZE
    if math.ceil(size / part_size) > MAX_PARTS:
        part_size = math.ceil(size / MAX_PARTS / MiB) * MiB
    return part_size


def part_count(upload: Upload) -> int:
    return math.ceil(upload.size / upload.part_size) if upload.part_size else 0


def part_length(upload: Upload, part_number: int) -> int:
    """Bytes part `part_number` must hold: the part size, or what is left for the last one."""
    return min(upload.part_size, upload.size - (part_number - 1) * upload.part_size)


def upload_state(upload: Upload, *, now: datetime | None = None) -> str:
    if upload.status == UploadStatus.REGISTERED:
        return UploadState.REGISTERED
    if upload.status == UploadStatus.DISCARDED:
        return UploadState.DISCARDED
    if upload.expires_at <= (now or timezone.now()):
        return UploadState.EXPIRED
    if upload.completed_at:
        return UploadState.COMPLETED
    return UploadState.PENDING


def _unavailable(action: str, upload: Upload, exc: StorageError) -> ServiceUnavailable:
    logger.warning("%s of upload %s failed: %s", action, upload.key, exc)
    return ServiceUnavailable("Object storage is unavailable; try again later.")


def _presign_parts(
    storage: Storage, upload: Upload, part_numbers: Iterable[int]
) -> list[PresignedPart]:
    try:
        return [
            PresignedPart(
                part_number=number,
                request=storage.presign_part(
                    upload.key,
                    upload.multipart_id,
                    number,
                    expires_in=settings.UPLOAD_URL_EXPIRY_SECONDS,
                    size=part_length(upload, number),
                ),
            )
            for number in part_numbers
        ]
    except StorageError as exc:
        raise _unavailable("Presigning parts", upload, exc) from exc


def multipart_start(*, upload: Upload) -> MultipartStart:
    """Open the multipart upload in storage for a new, saved `upload`; presign its first parts."""
    storage = get_storage()
    part_size = multipart_part_size(upload.size)
    try:
        upload.multipart_id = storage.create_multipart(upload.key, content_type=upload.content_type)
    except StorageError as exc:
        raise _unavailable("Starting multipart", upload, exc) from exc
    upload.part_size = part_size
    upload.save(update_fields=["multipart_id", "part_size"])
    count = part_count(upload)
    return MultipartStart(
        part_size=part_size,
        part_count=count,
        parts=_presign_parts(storage, upload, range(1, min(count, FIRST_BATCH) + 1)),
    )


def _owned_upload(*, user, upload_id: uuid.UUID, lock: bool = False) -> Upload:
    """The user's upload; another user's is not found."""
    if not can_start_uploads(user):
        raise Forbidden("Only uploaders and artists' managers may upload and register tracks.")
    uploads = Upload.objects.filter(pk=upload_id, user=user)
    if lock:
        uploads = uploads.select_for_update()
    upload = uploads.first()
    if upload is None:
        raise NotFound("Upload not found.")
    return upload


def _refuse_unless_open_multipart(upload: Upload) -> None:
    """Parts may be sent and completed only while the multipart upload is pending."""
    if not upload.is_multipart:
        raise InvalidInput(
            "This upload is a single PUT, not a multipart upload.",
            field="upload_id",
            code="not_multipart",
        )
    state = upload_state(upload)
    if state in (UploadState.DISCARDED, UploadState.EXPIRED):
        raise InvalidInput(
            "The upload expired or was aborted; start a new one.",
            field="upload_id",
            code="upload_expired",
        )
    if state != UploadState.PENDING:
        raise InvalidInput(
            "The upload is already complete.", field="upload_id", code="already_completed"
        )


def _check_part_numbers(upload: Upload, numbers: list[int], *, field: str) -> None:
    count = part_count(upload)
    beyond = [number for number in numbers if not 1 <= number <= count]
    if beyond:
        raise InvalidInput(
            f"Part {beyond[0]} is outside this upload's parts 1 to {count}.", field=field
        )


def upload_get(*, user, upload_id: uuid.UUID) -> tuple[Upload, list[PartInfo]]:
    """The user's upload and, while a multipart upload is pending, the parts already stored."""
    upload = _owned_upload(user=user, upload_id=upload_id)
    if not upload.is_multipart or upload_state(upload) != UploadState.PENDING:
        return upload, []
    try:
        return upload, get_storage().list_parts(upload.key, upload.multipart_id)
    except MultipartUploadNotFound:
        return upload, []  # aborted by cleanup: nothing left to resume
    except StorageError as exc:
        raise _unavailable("Listing parts", upload, exc) from exc


def multipart_presign_parts(
    *, user, upload_id: uuid.UUID, part_numbers: list[int]
) -> list[PresignedPart]:
    """Presigned PUTs for the given parts of the user's pending multipart upload."""
    upload = _owned_upload(user=user, upload_id=upload_id)
    _refuse_unless_open_multipart(upload)
    repeated = sorted(n for n, times in Counter(part_numbers).items() if times > 1)
    if repeated:
        raise InvalidInput(f"Part {repeated[0]} is asked for twice.", field="part_numbers")
    if len(part_numbers) > PRESIGN_BATCH_MAX:
        raise InvalidInput(
            f"Ask for at most {PRESIGN_BATCH_MAX} parts at a time.", field="part_numbers"
        )
    _check_part_numbers(upload, part_numbers, field="part_numbers")
    return _presign_parts(get_storage(), upload, part_numbers)


def _check_part_list(upload: Upload, parts: list[tuple[int, str]]) -> None:
    """The list must name every part once, ascending, as S3 requires."""
    numbers = [number for number, _ in parts]
    for previous, number in itertools.pairwise(numbers):
        if number <= previous:
            raise InvalidInput(
                "List the parts in ascending part_number order, each once: "
                f"part {number} follows part {previous}.",
                field="parts",
            )
    _check_part_numbers(upload, numbers, field="parts")
    missing = sorted(set(range(1, part_count(upload) + 1)) - set(numbers))
    if missing:
        listed = ", ".join(map(str, missing[:10])) + (", ..." if len(missing) > 10 else "")
        raise InvalidInput(f"Parts missing: {listed}.", field="parts", code="missing_parts")


def _check_stored_parts(
    upload: Upload, parts: list[tuple[int, str]], stored: list[PartInfo]
) -> None:
    by_number = {part.part_number: part for part in stored}
    for number, etag in parts:
        part = by_number.get(number)
        if part is None:
            raise InvalidInput(
                f"Part {number} is not stored (never sent, or its upload was cut); send it again.",
                field="parts",
                code="invalid_part",
            )
        if part.etag != quote_etag(etag):
            raise InvalidInput(
                f"Part {number}'s ETag is not the stored part's: send the ETag its PUT "
                "answered, or send the part again.",
                field="parts",
                code="invalid_part",
            )
        expected = part_length(upload, number)
        if part.size != expected:
            raise InvalidInput(
                f"Part {number} holds {part.size} bytes; it must hold {expected}.",
                field="parts",
                code="size_mismatch",
            )


def _completed_before(storage: Storage, upload: Upload) -> ObjectInfo:
    """The object of a completion that reached storage but not the database (a crash, a
    retried request): only this upload may fill its key. Else the upload was aborted."""
    try:
        return storage.head(upload.key)
    except ObjectNotFound:
        raise InvalidInput(
            "The multipart upload no longer exists; start a new upload.",
            field="upload_id",
            code="upload_expired",
        ) from None


def _complete_in_storage(
    storage: Storage, upload: Upload, parts: list[tuple[int, str]]
) -> ObjectInfo:
    try:
        stored = storage.list_parts(upload.key, upload.multipart_id)
    except MultipartUploadNotFound:
        return _completed_before(storage, upload)
    _check_stored_parts(upload, parts, stored)
    try:
        return storage.complete_multipart(upload.key, upload.multipart_id, parts)
    except InvalidPart as exc:
        raise InvalidInput(
            f"Object storage refused the parts ({exc.code}); list them and send again.",
            field="parts",
            code="invalid_part",
        ) from exc
    except (MultipartUploadNotFound, ObjectExists):
        return _completed_before(storage, upload)


def multipart_complete(*, user, upload_id: uuid.UUID, parts: list[tuple[int, str]]) -> Upload:
    """Assemble the stored parts into the object, once every part is there and as declared.

    Completing again returns the completed upload. An object of another size than declared
    is deleted and the upload discarded.
    """
    storage = get_storage()
    with transaction.atomic():
        # Row lock: two completions (a double submit, a retry) run one after the other.
        upload = _owned_upload(user=user, upload_id=upload_id, lock=True)
        if upload.completed_at and upload.status != UploadStatus.DISCARDED:
            return upload
        _refuse_unless_open_multipart(upload)
        _check_part_list(upload, parts)
        try:
            info = _complete_in_storage(storage, upload, parts)
            if info.size != upload.size:
                storage.delete(upload.key)
                with contextlib.suppress(MultipartUploadNotFound):
                    storage.abort_multipart(upload.key, upload.multipart_id)
        except StorageError as exc:
            raise _unavailable("Completing", upload, exc) from exc
        if info.size == upload.size:
            upload.completed_at = timezone.now()
            upload.save(update_fields=["completed_at"])
            return upload
        upload.status = UploadStatus.DISCARDED
        upload.save(update_fields=["status"])
    # Raised after the commit, so that the upload stays discarded.
    raise InvalidInput(
        f"Size mismatch: the assembled object has {info.size} bytes, the upload declared "
        f"{upload.size}; it was deleted.",
        field="parts",
        code="size_mismatch",
    )


@transaction.atomic
def multipart_abort(*, user, upload_id: uuid.UUID) -> None:
    """Discard the user's unregistered upload and remove its parts and object from storage."""
    # Row lock: an abort and a completion or registration of one upload cannot interleave.
    upload = _owned_upload(user=user, upload_id=upload_id, lock=True)
    if upload.status == UploadStatus.REGISTERED:
        raise InvalidInput(
            "This upload is registered; delete its track instead.",
            field="upload_id",
            code="already_registered",
        )
    if upload.status == UploadStatus.DISCARDED:
        return
    storage = get_storage()
    try:
        if upload.is_multipart and not upload.completed_at:
            with contextlib.suppress(MultipartUploadNotFound):  # already aborted by cleanup
                storage.abort_multipart(upload.key, upload.multipart_id)
        storage.delete(upload.key)
    except StorageError as exc:
        raise _unavailable("Aborting", upload, exc) from exc
    upload.status = UploadStatus.DISCARDED
    upload.save(update_fields=["status"])


def multipart_abort_stale(
    *, older_than: timedelta, dry_run: bool = False, prefix: str = UPLOAD_KEY_PREFIX
) -> StaleMultipartReport:
    """Abort the multipart uploads in storage started more than `older_than` ago that no
    pending, unexpired upload owns: abandoned, expired, discarded, or never saved.

    Raises StorageError when storage cannot list them; a failed abort is reported and retried
    by the next run.
    """
    report = StaleMultipartReport()
    storage = get_storage()
    now = timezone.now()
    stale = [u for u in storage.list_multipart_uploads(prefix) if u.initiated < now - older_than]
    live = set(
        Upload.objects.filter(
            multipart_id__in=[u.upload_id for u in stale],
            status=UploadStatus.PENDING,
            completed_at__isnull=True,
            expires_at__gt=now,
        ).values_list("key", "multipart_id")
    )
    for candidate in stale:
        if (candidate.key, candidate.upload_id) in live:
            continue
        if not dry_run:
            try:
                storage.abort_multipart(candidate.key, candidate.upload_id)
            except MultipartUploadNotFound:
                pass  # completed or aborted meanwhile
            except StorageError as exc:
                logger.warning("Could not abort multipart upload of %s: %s", candidate.key, exc)
                report.failed[candidate.key] = str(exc) or exc.__class__.__name__
                continue
        report.aborted.append(candidate.key)
    return report
