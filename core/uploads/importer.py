"""Bulk import: a folder of audio files brought into the catalog by the server itself.

Each file goes the way an API upload goes (an upload slot from `upload_start`, the bytes into
the same storage, `track_register`), so the processing pipeline takes it from there. A file is
known by its SHA-256: one imported before, or already in the catalog, is skipped.
"""

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import suppress
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

import mutagen
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from core import text
from core.api.errors import DomainError
from core.catalog.models import Track
from core.lyrics.services import lyrics_from_sidecar
from core.processing.run import BadMedia, check_complete
from core.uploads.models import ImportedFile, ImportFailure, Upload, UploadStatus
from core.uploads.multipart import MultipartStart
from core.uploads.registration import track_register
from core.uploads.services import upload_start
from media_pipeline.audio import formats, probe, waveform
from media_pipeline.audio.tags import Tags, read_tags
from media_pipeline.storage import (
    MultipartUploadNotFound,
    PresignedRequest,
    StorageError,
    get_storage,
)

logger = logging.getLogger(__name__)

_EBML_MAGIC = b"\x1a\x45\xdf\xa3"  # WebM/Matroska, which mutagen does not read
_AUDIO_MAGIC = (b"ID3", b"fLaC", b"OggS", b"RIFF", b"FORM", _EBML_MAGIC)
_NOT_AUDIO = "not an audio file: no known audio format in its header"
# "01 Title", "01. Title", "1 - Title": a leading track number in a file name.
_NUMBERED_NAME = re.compile(r"^(?:(\d{2,3})[\s._-]+|(\d{1,3})\s*[-.]\s+)(?=\S)")
_FORBIDDEN_IN_FILENAME = set('/\\:*?"<>|')


class Outcome(StrEnum):
    IMPORTED = "imported"
    SKIPPED = "skipped"
    FAILED = "failed"
    FAILED_BEFORE = "failed before"  # same content failed in an earlier run: not tried again


class BadFile(Exception):
    """The file cannot be imported; the message says why, for the operator."""


@dataclass(frozen=True)
class FoundFile:
    path: Path
    relative: str  # to the imported folder, with forward slashes
    size: int


@dataclass(frozen=True)
class FileResult:
    relative: str
    size: int
    outcome: Outcome
    reason: str = ""
    track_id: int | None = None


@dataclass
class ImportSummary:
    imported: list[FileResult] = field(default_factory=list)
    skipped: list[FileResult] = field(default_factory=list)
    failed: list[FileResult] = field(default_factory=list)
    failed_before: list[FileResult] = field(default_factory=list)
    not_started: int = 0
    interrupted: bool = False

    def add(self, result: FileResult) -> None:
        {
            Outcome.IMPORTED: self.imported,
            Outcome.SKIPPED: self.skipped,
            Outcome.FAILED: self.failed,
            Outcome.FAILED_BEFORE: self.failed_before,
        }[result.outcome].append(result)


@dataclass(frozen=True)
class TrackMetadata:
    """Registration fields; a title or artist left None becomes registration's placeholder."""

    title: str | None
    artist: str | None
    album: str | None
    track_number: int | None
    year: int | None
    genres: list[str]
    number_from_name: bool = False  # the track number is the file name's leading number


@dataclass
class Walk:
    files: list[FoundFile] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # not audio by their extension
    errors: list[FileResult] = field(default_factory=list)  # folders that could not be read


def find_audio_files(root: Path) -> Walk:
    """Audio files under `root` by extension, in a stable order; hidden files are left out."""
    walk = Walk()

    def unreadable(error: OSError) -> None:
        where = Path(error.filename or root)
        relative = where.relative_to(root).as_posix() if where != root else "."
        walk.errors.append(
            FileResult(relative, 0, Outcome.FAILED, f"folder unreadable: {error.strerror}")
        )

    for folder, dirs, names in os.walk(root, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            if path.suffix.lower() not in formats.FILE_SUFFIXES:
                walk.ignored.append(path.relative_to(root).as_posix())
                continue
            try:
                size = path.stat().st_size
            except OSError:
                size = 0  # a dangling link: import_file reports it
            walk.files.append(FoundFile(path, path.relative_to(root).as_posix(), size))
    return walk


def _looks_like_audio(head: bytes) -> bool:
    """Whether the leading bytes are those of an audio container (or an MPEG frame)."""
    mpeg_sync = len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
    return head.startswith(_AUDIO_MAGIC) or head[4:8] == b"ftyp" or mpeg_sync


def sniff_content_type(path: Path) -> str:
    """The upload content type of `path`, from its header (not its name); BadFile if none."""
    with path.open("rb") as f:
        head = f.read(12)
    try:
        audio = mutagen.File(path)
    except (mutagen.MutagenError, ValueError, IndexError, EOFError) as exc:
        if not _looks_like_audio(head):
            raise BadFile(_NOT_AUDIO) from None
        why = str(exc) if isinstance(exc, mutagen.MutagenError) else exc.__class__.__name__
        raise BadFile(f"corrupt audio: {why}") from None
    if audio is None:
        if head.startswith(_EBML_MAGIC):
            return "audio/webm"
        raise BadFile(_NOT_AUDIO)
    content_type = formats.MUTAGEN_CLASSES.get(type(audio).__name__)
    if content_type is None:
        raise BadFile(f"unsupported audio format ({type(audio).__name__})")
    if getattr(audio, "info", None) is None:
        raise BadFile("corrupt audio: no stream information")
    return content_type


def file_sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def metadata_for(path: Path, tags: Tags) -> TrackMetadata:
    """Registration fields from the tags. Without a title or artist tag, registration's
    placeholders stand in (the file's name, "Unknown artist"); a leading number in the file's
    name gives the track number."""
    track_number = tags.track_number
    number_from_name = False
    if track_number is None and (match := _NUMBERED_NAME.match(path.stem)):
        track_number = int(match.group(1) or match.group(2))
        number_from_name = True
    genres = [_printable(genre) for genre in tags.genres]
    return TrackMetadata(
        title=_printable(tags.title) or None,
        artist=_printable(tags.artist) or _printable(tags.album_artist) or None,
        album=_printable(tags.album) or None,
        track_number=track_number,
        year=tags.year,
        genres=[genre for genre in genres if genre],
        number_from_name=number_from_name,
    )


def name_without_number(name: str) -> str:
    """`name` without its leading track number ("07 - Hum.wav" -> "Hum.wav"): once the number
    is the track number, the placeholder title made from the name should not repeat it."""
    return _NUMBERED_NAME.sub("", name, count=1) or name


def _printable(value: str) -> str:
    """`value` under the names' text policy (NUL-padded ID3 frames, bidi overrides dropped)."""
    return text.clean(value).strip()


def upload_filename(name: str) -> str:
    """`name` made acceptable as an upload's file name (no separators or control characters)."""
    cleaned = "".join(
        "_" if char in _FORBIDDEN_IN_FILENAME or text.is_refused(char) else char for char in name
    ).strip()
    if len(cleaned) > 255:
        suffix = Path(cleaned).suffix[:20]
        cleaned = cleaned[: 255 - len(suffix)] + suffix
    return cleaned if cleaned not in {"", ".", ".."} else "audio"


def check_decodes(path: Path) -> None:
    """BadFile unless ffprobe opens `path` and all the audio it declares decodes, as processing
    will require: a damaged file fails here, named, instead of later in a worker."""
    try:
        info = probe.probe(path)
        decoded = waveform.compute(info.source(path), duration=info.duration).decoded_seconds
        check_complete(info, decoded)
    except (probe.NotAudio, BadMedia) as exc:
        raise BadFile(str(exc)) from None
    except waveform.WaveformError:
        raise BadFile("File is truncated or corrupt: ffmpeg could not decode it") from None


def failed_before(sha256: str) -> str | None:
    """Why a file with this content failed in an earlier run, or None."""
    found = ImportFailure.objects.filter(sha256=sha256).values_list("path", "reason").first()
    return None if found is None else f"{found[1]} (failed before, as {found[0]})"


def _remember_failure(sha256: str, relative: str, reason: str) -> None:
    with suppress(IntegrityError), transaction.atomic():
        ImportFailure.objects.update_or_create(
            sha256=sha256, defaults={"path": relative[:1024], "reason": reason[:500]}
        )


def already_imported(sha256: str) -> str | None:
    """Why a file with this content is skipped, or None if it is new to the catalog."""
    found = ImportedFile.objects.filter(sha256=sha256).values_list("path", "track_id").first()
    if found is not None:
        path, track_id = found
        if track_id is None:
            return f"imported before from {path}; its track was deleted since"
        return f"imported before from {path} as track {track_id}"
    track_id = Track.objects.filter(checksum_sha256=sha256).values_list("pk", flat=True).first()
    if track_id is not None:
        return f"already in the catalog as track {track_id}"
    return None


class _CountingReader:
    """A file as storage reads it, reporting bytes read for the first time (after a seek back,
    re-read bytes are not counted twice)."""

    def __init__(self, fileobj: BinaryIO, on_bytes: Callable[[int], None]):
        self._file = fileobj
        self._on_bytes = on_bytes
        self._high_water = 0

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        position = self._file.tell()
        if position > self._high_water:
            self._on_bytes(position - self._high_water)
            self._high_water = position
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def seekable(self) -> bool:
        return True

    def __getattr__(self, name: str):
        return getattr(self._file, name)  # close, fileno, name...: the file's own


def _discard(upload: Upload) -> None:
    """Drop an upload that will not be registered: its object now, its slot marked discarded."""
    with suppress(StorageError):
        get_storage().delete(upload.key)
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.DISCARDED)


def _store(
    upload: Upload,
    start: PresignedRequest | MultipartStart,
    path: Path,
    on_bytes: Callable[[int], None],
) -> None:
    storage = get_storage()
    if isinstance(start, MultipartStart):
        # The store-side multipart upload is for clients sending parts; the server streams
        # the file itself (the S3 backend splits it into parts on its own).
        with suppress(MultipartUploadNotFound):
            storage.abort_multipart(upload.key, upload.multipart_id)
    with path.open("rb") as f:
        storage.upload_fileobj(
            upload.key, _CountingReader(f, on_bytes), content_type=upload.content_type
        )


def import_file(
    found: FoundFile,
    *,
    user,
    dry_run: bool = False,
    retry_failed: bool = False,
    on_bytes: Callable[[int], None] = lambda n: None,
) -> FileResult:
    """Import one file: skipped if its content is known, failed (never raised) if it is bad.
    Content that failed before is not tried again unless `retry_failed`."""

    def result(outcome: Outcome, reason: str = "", track_id: int | None = None) -> FileResult:
        return FileResult(found.relative, found.size, outcome, reason, track_id)

    path = found.path
    try:
        sha256 = file_sha256(path)
        size = path.stat().st_size
    except OSError as exc:
        return result(Outcome.FAILED, f"unreadable: {exc.strerror or exc}")
    if reason := already_imported(sha256):
        return result(Outcome.SKIPPED, reason)
    if not retry_failed and (reason := failed_before(sha256)):
        return result(Outcome.FAILED_BEFORE, reason)
    try:
        if size == 0:
            raise BadFile("empty file")
        content_type = sniff_content_type(path)
        check_decodes(path)
    except BadFile as exc:
        if not dry_run:
            _remember_failure(sha256, found.relative, str(exc))
        return result(Outcome.FAILED, str(exc))
    except OSError as exc:
        return result(Outcome.FAILED, f"unreadable: {exc.strerror or exc}")
    if dry_run:
        return result(Outcome.IMPORTED, "would be imported")

    meta = metadata_for(path, read_tags(path))
    try:
        upload, start = upload_start(
            user=user,
            filename=upload_filename(
                name_without_number(path.name) if meta.number_from_name else path.name
            ),
            content_type=content_type,
            size=size,
            sha256=sha256,
        )
    except DomainError as exc:
        return result(Outcome.FAILED, exc.detail)
    try:
        _store(upload, start, path, on_bytes)
    except (StorageError, OSError) as exc:
        _discard(upload)
        return result(Outcome.FAILED, f"could not store the file: {exc}")

    try:
        with transaction.atomic():
            track, _ = track_register(
                user=user,
                upload_id=upload.pk,
                title=meta.title,
                artist_name=meta.artist,
                album_title=meta.album,
                genre_names=meta.genres,
                track_number=meta.track_number,
                year=meta.year,
            )
            ImportedFile.objects.create(
                sha256=sha256, path=found.relative[:1024], size=size, track=track, imported_by=user
            )
            ImportFailure.objects.filter(sha256=sha256).delete()
            lyrics_from_sidecar(track=track, audio_path=path)
    except IntegrityError:
        # Identical bytes imported meanwhile (another worker or run): the unique SHA-256 wins.
        _discard(upload)
        if reason := already_imported(sha256):
            return result(Outcome.SKIPPED, reason)
        raise
    except DomainError as exc:
        _discard(upload)
        return result(Outcome.FAILED, exc.detail)
    except ValidationError as exc:
        _discard(upload)
        return result(Outcome.FAILED, "; ".join(exc.messages))
    return result(Outcome.IMPORTED, track_id=track.pk)


def _import_in_thread(found: FoundFile, **kwargs) -> FileResult:
    try:
        return import_file(found, **kwargs)
    except Exception as exc:  # one file's surprise must not stop the others
        logger.exception("Importing %s failed", found.relative)
        return FileResult(
            found.relative, found.size, Outcome.FAILED, f"unexpected error: {exc!r}"[:500]
        )
    finally:
        # Worker threads are not request threads: nothing else closes their connection.
        connection.close()


class ImportProgress:
    """What the run reports as it goes: bytes as they are read, and each finished file."""

    def bytes_read(self, relative: str, count: int) -> None:
        pass

    def file_done(self, result: FileResult) -> None:
        pass


def import_files(
    files: Iterable[FoundFile],
    *,
    user,
    workers: int,
    dry_run: bool = False,
    retry_failed: bool = False,
    progress: ImportProgress | None = None,
) -> ImportSummary:
    """Import `files` on `workers` threads. Ctrl-C stops starting new files, lets the running
    ones finish, and returns what was done with `interrupted` set; a re-run does the rest."""
    progress = progress or ImportProgress()
    summary = ImportSummary()
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="import")
    pending: set[Future] = set()
    try:
        for found in files:
            pending.add(
                executor.submit(
                    _import_in_thread,
                    found,
                    user=user,
                    dry_run=dry_run,
                    retry_failed=retry_failed,
                    on_bytes=lambda count, rel=found.relative: progress.bytes_read(rel, count),
                )
            )
        for future in as_completed(list(pending)):
            pending.discard(future)
            result = future.result()
            summary.add(result)
            progress.file_done(result)
    except KeyboardInterrupt:
        summary.interrupted = True
        executor.shutdown(wait=True, cancel_futures=True)
        for future in pending:
            if future.cancelled():
                summary.not_started += 1
            else:
                summary.add(future.result())
    finally:
        executor.shutdown(wait=True)
    return summary
