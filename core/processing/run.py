"""Turning a registered upload into a stream-ready track, in a background job.

Life of a run: `track_process_enqueue` marks the track and queues a job; a worker calls
`track_process`, which verifies the stored object, downloads it to a temporary file, probes
it, reads tags and artwork, measures loudness, draws the waveform, uploads thumbnails and
streaming variants, and saves everything in one transaction: `ready`, or `failed` with a
reason the uploader can act on. Transient storage errors are retried with backoff; a worker
that dies mid-run is noticed by `processing_sweep_stale` through the job's heartbeat.
"""

import hashlib
import io
import logging
import tempfile
import threading
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from core.catalog.models import Album, Artist, Genre, Track, TrackStatus
from core.playlists.services import playlist_items_sync_playable
from core.processing.models import JobState, ProcessingJob, TrackMedia, TrackVariant
from media_pipeline.audio import artwork, loudness, probe, tags, transcode, waveform
from media_pipeline.storage import ObjectNotFound, StorageUnavailable, get_storage

logger = logging.getLogger(__name__)

THUMBNAIL_SIZES = (64, 256, 640)
ALBUM_ARTWORK_SIZE = 640
UNKNOWN_ARTIST_NAME = "Unknown artist"  # registration's placeholder when the uploader names none
_UNTYPED = {"", "application/octet-stream", "binary/octet-stream"}
_EXTENSIONS = {
    "audio/mpeg": "mp3",
    "audio/flac": "flac",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "audio/wav": "wav",
    "audio/aiff": "aiff",
    "audio/webm": "webm",
    "audio/aac": "aac",
}


class BadMedia(Exception):
    """The stored file cannot become a playable track; the message is shown to the uploader."""


@dataclass
class Outcome:
    """Everything a successful run learnt, ready to be saved in one transaction."""

    info: probe.AudioInfo
    duration: float
    sha256: str
    tags: tags.Tags
    loudness: loudness.Loudness
    peaks: list[float]
    variants: list[tuple[transcode.Variant, str]] = field(default_factory=list)
    artwork_keys: dict[str, str] = field(default_factory=dict)
    album_cover: bytes | None = None


def variant_key(track_id: int, quality: str, extension: str) -> str:
    return f"derived/tracks/{track_id}/{quality}.{extension}"


def artwork_key(track_id: int, size: int) -> str:
    return f"derived/tracks/{track_id}/cover-{size}.jpg"


# --- Enqueueing --------------------------------------------------------------------------


def _send(track_id: int, token: uuid.UUID, *, run_after: datetime | None = None) -> None:
    """Hand the run to the task backend; a backend that cannot defer runs it at once."""
    from core.processing.tasks import process_track

    task = process_track
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    result = task.enqueue(track_id, str(token))
    ProcessingJob.objects.filter(pk=track_id, token=token).update(task_id=str(result.id)[:64])


def _queue(
    job: ProcessingJob, *, run_after: datetime | None = None, new_run: bool, send: bool = True
) -> None:
    """Mark `job` queued and send it once the surrounding transaction commits."""
    job.state = JobState.QUEUED
    job.enqueued_at = timezone.now()
    job.started_at = job.heartbeat_at = job.finished_at = None
    if new_run:
        job.token = uuid.uuid4()
    job.save()
    if not send:
        return
    track_id, token = job.track_id, job.token
    # robust: if the queue is down the job stays `queued`, and the stale sweep sends it later.
    transaction.on_commit(lambda: _send(track_id, token, run_after=run_after), robust=True)


@transaction.atomic
def track_process_enqueue(*, track_id: int, send: bool = True) -> ProcessingJob:
    """Queue (re)processing of a track. A ready track stays playable until the new run ends.

    With `send` false the run is prepared but not handed to the task backend: the caller runs
    `track_process` itself (manage.py reprocess --sync)."""
    # Lock the track so a concurrent enqueue or run finish sees one consistent job row.
    track = Track.objects.select_for_update().get(pk=track_id)
    if track.status != TrackStatus.READY:
        track.status = TrackStatus.PROCESSING
        track.failure_reason = ""
        track.save(update_fields=["status", "failure_reason", "updated_at"])
    job = ProcessingJob.objects.select_for_update().filter(track=track).first() or ProcessingJob(
        track=track
    )
    job.attempts = 0
    job.last_error = ""
    _queue(job, new_run=True, send=send)
    return job


# --- Claiming, heartbeat, sweeping -------------------------------------------------------


def _stale_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.PIPELINE_STALE_AFTER_SECONDS)


@transaction.atomic
def _claim(track_id: int, token: str) -> ProcessingJob | None:
    """Take the run for this worker, or None when it is not (or no longer) ours to do."""
    if not _lock_track(track_id):
        return None
    # Row lock: two deliveries of the same run must not both start it.
    job = ProcessingJob.objects.select_for_update().filter(pk=track_id).first()
    if job is None or str(job.token) != token or job.state in (JobState.DONE, JobState.FAILED):
        return None
    now = timezone.now()
    if job.state == JobState.RUNNING and job.heartbeat_at and job.heartbeat_at > _stale_cutoff(now):
        return None
    if job.attempts >= settings.PIPELINE_MAX_ATTEMPTS:
        reason = (
            f"Processing stopped before finishing {job.attempts} times; a moderator can re-run it"
        )
        _mark_failed(job, reason=reason, error=job.last_error or reason)
        return None
    job.state = JobState.RUNNING
    job.attempts += 1
    job.started_at = job.heartbeat_at = now
    job.finished_at = None
    job.save()
    TrackMedia.objects.get_or_create(
        track_id=track_id,
        defaults={"declared_content_type": Track.objects.get(pk=track_id).content_type},
    )
    return job


class _Heartbeat:
    """Refreshes the job's heartbeat from a side thread while the run works."""

    def __init__(self, job: ProcessingJob):
        self.job_id, self.token = job.pk, job.token
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name="job-heartbeat")

    def _beat(self) -> None:
        try:
            while not self.stop.wait(settings.PIPELINE_HEARTBEAT_SECONDS):
                try:
                    ProcessingJob.objects.filter(
                        pk=self.job_id, token=self.token, state=JobState.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("Heartbeat of job %s failed", self.job_id, exc_info=True)
        finally:
            connection.close()

    def __enter__(self) -> "_Heartbeat":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def processing_sweep_stale(*, now: datetime | None = None) -> list[int]:
    """Re-send runs whose worker died (stale heartbeat) or whose task was lost; their ids."""
    from core.processing.tasks import process_track

    now = now or timezone.now()
    cutoff = _stale_cutoff(now)
    backend = process_track.get_backend()
    swept = []
    candidates = ProcessingJob.objects.filter(
        Q(state=JobState.RUNNING, heartbeat_at__lt=cutoff)
        | Q(state=JobState.RUNNING, heartbeat_at__isnull=True, enqueued_at__lt=cutoff)
        | Q(state=JobState.QUEUED, enqueued_at__lt=cutoff)
    ).values_list("pk", flat=True)
    for track_id in candidates:
        with transaction.atomic():
            # Lock: a worker may be claiming or finishing this very job.
            job = ProcessingJob.objects.select_for_update().filter(pk=track_id).first()
            if job is None or not _is_stale(job, cutoff, backend, process_track):
                continue
            logger.warning("Re-sending stale processing job of track %s (%s)", job.pk, job.state)
            job.last_error = f"Re-sent by the sweep: the run was {job.state} with no sign of life"
            _queue(job, new_run=True)
            swept.append(job.pk)
    return swept


def _is_stale(job: ProcessingJob, cutoff: datetime, backend, task) -> bool:
    if job.state == JobState.RUNNING:
        return (job.heartbeat_at or job.started_at or job.enqueued_at) < cutoff
    if job.enqueued_at >= cutoff:
        return False
    if not job.task_id or not backend.supports_get_result:
        return True
    try:
        result = task.get_result(job.task_id)
    except Exception:  # a result the backend cannot find (or read) is a lost task
        return True
    return result.is_finished


# --- The run -----------------------------------------------------------------------------


def track_process(*, track_id: int, token: str) -> str:
    """Run the pipeline for one track; what happened: ready, failed, retrying or skipped."""
    job = _claim(track_id, token)
    if job is None:
        return "skipped"
    try:
        with (
            _Heartbeat(job),
            tempfile.TemporaryDirectory(
                prefix="tonearm-track-", dir=settings.PIPELINE_WORK_DIR
            ) as workdir,
        ):
            track = Track.objects.select_related("media").get(pk=track_id)
            outcome = _run(track, Path(workdir))
    except BadMedia as exc:
        logger.info("Track %s failed processing: %s", track_id, exc)
        return "failed" if _finish_failed(job, reason=str(exc), error=str(exc)) else "skipped"
    except StorageUnavailable as exc:
        return _retry_or_fail(job, exc)
    except DatabaseError:
        raise  # the job stays `running`; the sweep re-sends it once its heartbeat is stale
    except Exception as exc:
        logger.exception("Processing of track %s failed unexpectedly", track_id)
        reason = "Processing failed unexpectedly; a moderator can re-run it"
        error = "".join(traceback.format_exception(exc))[-4000:]
        return "failed" if _finish_failed(job, reason=reason, error=error) else "skipped"
    if _finish_ready(job, outcome):
        return "ready"
    if not Track.objects.filter(pk=track_id).exists():
        # Deleted while we worked: nothing will point at what this run stored.
        keys = [key for _, key in outcome.variants] + list(outcome.artwork_keys.values())
        for key in keys:
            get_storage().delete(key)
    return "skipped"


def _retry_or_fail(job: ProcessingJob, exc: Exception) -> str:
    with transaction.atomic():
        current = _locked_if_current(job)
        if current is None:
            return "skipped"
        current.last_error = f"Storage unavailable: {exc}"
        if current.attempts < settings.PIPELINE_MAX_ATTEMPTS:
            delay = settings.PIPELINE_RETRY_BACKOFF_SECONDS * 2 ** (current.attempts - 1)
            logger.warning("Storage unavailable for track %s; retry in %s s", job.pk, delay)
            _queue(current, run_after=timezone.now() + timedelta(seconds=delay), new_run=False)
            return "retrying"
        reason = (
            f"Storage could not be reached after {current.attempts} attempts; "
            "a moderator can re-run processing"
        )
        _mark_failed(current, reason=reason, error=current.last_error)
        return "failed"


def _lock_track(track_id: int) -> bool:
    """Lock the track's row; False when it is gone. Runs lock the track before its job, in the
    order registration, re-runs and deletes take them, so none of these can deadlock."""
    locked = Track.objects.select_for_update().filter(pk=track_id).values_list("pk", flat=True)
    return bool(list(locked))


def _locked_if_current(job: ProcessingJob) -> ProcessingJob | None:
    """The job row, locked, if this run still owns it (no newer run replaced its token)."""
    if not _lock_track(job.pk):
        return None
    current = ProcessingJob.objects.select_for_update().filter(pk=job.pk).first()
    if current is None or current.token != job.token or current.state != JobState.RUNNING:
        return None
    return current


def _mark_failed(job: ProcessingJob, *, reason: str, error: str) -> None:
    track = Track.objects.select_for_update().get(pk=job.pk)
    track.status = TrackStatus.FAILED
    track.failure_reason = reason
    track.save(update_fields=["status", "failure_reason", "updated_at"])
    playlist_items_sync_playable(track_ids=[track.pk])
    job.state = JobState.FAILED
    job.last_error = error
    job.finished_at = timezone.now()
    job.save()


@transaction.atomic
def _finish_failed(job: ProcessingJob, *, reason: str, error: str) -> bool:
    current = _locked_if_current(job)
    if current is None:
        return False
    _mark_failed(current, reason=reason, error=error)
    return True


def _run(track: Track, workdir: Path) -> Outcome:
    storage = get_storage()
    media = getattr(track, "media", None)
    declared_type = (media.declared_content_type if media else "") or track.content_type
    sha256, _ = _verify_and_download(track, declared_type, workdir / "original")
    info = _probe(workdir / "original")
    source = workdir / f"original.{_EXTENSIONS.get(info.content_type or '', 'bin')}"
    (workdir / "original").rename(source)

    try:
        measured = loudness.measure(source)
        wave = waveform.compute(source, duration=info.duration)
    except (loudness.LoudnessError, waveform.WaveformError) as exc:
        raise BadMedia(f"File is truncated or corrupt: ffmpeg could not decode it ({exc})") from exc
    duration = _check_complete(info, wave.decoded_seconds)

    outcome = Outcome(
        info=info,
        duration=duration,
        sha256=sha256,
        tags=tags.read_tags(source),
        loudness=measured,
        peaks=wave.peaks,
    )
    _make_artwork(track, source, outcome, storage)
    out_dir = workdir / "variants"
    out_dir.mkdir()
    for quality in settings.PIPELINE_VARIANTS:
        profile = transcode.PROFILES[quality]
        try:
            variant = transcode.transcode(source, out_dir, profile, channels=info.channels)
        except transcode.TranscodeError as exc:
            raise BadMedia(f"File could not be converted for streaming ({exc})") from exc
        key = variant_key(track.pk, quality, profile.extension)
        with variant.path.open("rb") as f:
            storage.upload_fileobj(key, f, content_type=variant.content_type)
        outcome.variants.append((variant, key))
    return outcome


class _HashingWriter:
    """A write-only, non-seekable file that hashes and counts what passes through it.

    Not seekable on purpose: backends then write in order, so the hash is of the object.
    """

    def __init__(self, target: BinaryIO):
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.target.write(data)

    def seekable(self) -> bool:
        return False


def _verify_and_download(track: Track, declared_type: str, dest: Path) -> tuple[str, int]:
    """Check the stored object against what was declared, and copy it to `dest`."""
    storage = get_storage()
    try:
        stored = storage.head(track.storage_key)
    except ObjectNotFound:
        raise BadMedia("Uploaded file is missing from storage") from None
    if stored.size == 0:
        raise BadMedia("Uploaded file is empty")
    if stored.size != track.size:
        raise BadMedia(f"Stored file is {stored.size} bytes but {track.size} bytes were declared")
    stored_type = probe.normalize_content_type(stored.content_type)
    if stored_type not in _UNTYPED and stored_type != probe.normalize_content_type(declared_type):
        raise BadMedia(
            f"Stored file has type {stored.content_type} but {declared_type} was declared"
        )
    expected = track.checksum_sha256.lower()
    mismatch = "Stored file does not match the declared SHA-256 checksum"
    if expected and stored.checksum_sha256 and stored.checksum_sha256.lower() != expected:
        raise BadMedia(mismatch)
    with dest.open("wb") as out:
        writer = _HashingWriter(out)
        try:
            storage.download_to_file(track.storage_key, writer)  # type: ignore[arg-type]
        except ObjectNotFound:
            raise BadMedia("Uploaded file is missing from storage") from None
    if writer.size != stored.size:
        raise StorageUnavailable(f"download ended after {writer.size} of {stored.size} bytes")
    digest = writer.sha256.hexdigest()
    if expected and digest != expected:
        raise BadMedia(mismatch)
    return digest, writer.size


def _probe(path: Path) -> probe.AudioInfo:
    try:
        return probe.probe(path)
    except probe.NotAudio as exc:
        raise BadMedia(str(exc)) from exc


def _check_complete(info: probe.AudioInfo, decoded: float) -> float:
    """The duration to record; BadMedia when far less audio decodes than the file declares."""
    if decoded <= 0:
        raise BadMedia("File is truncated or corrupt: no audio could be decoded from it")
    if info.duration_is_estimate:
        return round(decoded, 3)
    if info.duration - decoded > max(0.5, 0.02 * info.duration):
        raise BadMedia(
            f"File is truncated or corrupt: only {decoded:.1f} s of the "
            f"{info.duration:.1f} s it declares could be decoded"
        )
    return round(info.duration, 3)


def _make_artwork(track: Track, source: Path, outcome: Outcome, storage) -> None:
    """Thumbnails of the embedded cover; a missing or broken cover is not a failure."""
    cover = artwork.extract_cover(source)
    if cover is None:
        return
    try:
        thumbnails = artwork.make_thumbnails(cover, THUMBNAIL_SIZES)
    except artwork.BadArtwork as exc:
        logger.warning("Track %s: embedded cover ignored: %s", track.pk, exc)
        return
    for size, data in thumbnails.items():
        key = artwork_key(track.pk, size)
        storage.upload_fileobj(key, io.BytesIO(data), content_type="image/jpeg")
        outcome.artwork_keys[str(size)] = key
    outcome.album_cover = thumbnails[ALBUM_ARTWORK_SIZE]


# --- Saving ------------------------------------------------------------------------------


@transaction.atomic
def _finish_ready(job: ProcessingJob, outcome: Outcome) -> bool:
    current = _locked_if_current(job)
    if current is None:
        return False
    # Lock the track: the uploader may be editing it; only fields still empty get tag values.
    track = Track.objects.select_for_update().get(pk=job.pk)
    _fill_from_tags(track, outcome.tags)
    track.duration = outcome.duration
    if outcome.info.content_type:
        track.content_type = outcome.info.content_type
    track.checksum_sha256 = track.checksum_sha256 or outcome.sha256
    track.status = TrackStatus.READY
    track.failure_reason = ""
    track.save()
    playlist_items_sync_playable(track_ids=[track.pk])
    _save_media(track, outcome)
    _save_variants(track, outcome)
    if outcome.album_cover and track.album_id:
        _fill_album_artwork(track.album_id, outcome.album_cover)
    current.state = JobState.DONE
    current.finished_at = timezone.now()
    current.last_error = ""
    current.save()
    return True


def _save_media(track: Track, outcome: Outcome) -> None:
    media, _ = TrackMedia.objects.get_or_create(
        track=track, defaults={"declared_content_type": track.content_type}
    )
    info, found = outcome.info, outcome.tags
    media.container = info.container[:100]
    media.codec = info.codec[:50]
    media.bitrate = info.bitrate
    media.sample_rate = info.sample_rate
    media.channels = info.channels
    media.loudness_lufs = outcome.loudness.integrated_lufs
    media.true_peak_db = outcome.loudness.true_peak_db
    media.replay_gain_db = outcome.loudness.replay_gain_db
    media.waveform = outcome.peaks
    media.lyrics = media.lyrics or found.lyrics
    media.lyrics_synced = media.lyrics_synced or [
        {"time": line.time, "text": line.text} for line in found.lyrics_synced
    ]
    media.artwork = outcome.artwork_keys
    media.processed_at = timezone.now()
    media.save()


def _save_variants(track: Track, outcome: Outcome) -> None:
    kept = []
    for variant, key in outcome.variants:
        TrackVariant.objects.update_or_create(
            track=track,
            quality=variant.quality,
            defaults={
                "key": key,
                "codec": variant.codec,
                "content_type": variant.content_type,
                "bitrate": variant.bitrate,
                "size": variant.size,
            },
        )
        kept.append(variant.quality)
    dropped = TrackVariant.objects.filter(track=track).exclude(quality__in=kept)
    keys = list(dropped.values_list("key", flat=True))
    dropped.delete()
    if keys:
        transaction.on_commit(lambda: [get_storage().delete(key) for key in keys], robust=True)


def _named(model: type[Model], name: str, **extra) -> Model:
    """The row whose name matches case-insensitively, created when missing (race-safe)."""
    field_name = "title" if model is Album else "name"
    lookup = {f"{field_name}__iexact": name, **extra}
    found = model.objects.filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return model.objects.create(**{field_name: name}, **extra)
    except IntegrityError:  # created meanwhile by another run: the unique constraint decided
        return model.objects.get(**lookup)


def _fill_from_tags(track: Track, found: tags.Tags) -> None:
    """Fill what the uploader left empty or to a placeholder from the file's tags; never
    overwrite what they typed (see `Track.placeholder_fields`)."""
    placeholders = set(track.placeholder_fields)
    if found.title and ("title" in placeholders or not track.title.strip()):
        track.title = found.title
    if found.artist and ("artist" in placeholders or not track.artist.name.strip()):
        placeholder_artist = track.artist
        track.artist = _named(Artist, found.artist)
        if track.album is not None and track.album.artist_id == placeholder_artist.pk:
            # The uploader named an album but no artist: it belongs under the tagged artist.
            track.album = _named(Album, track.album.title, artist=track.artist)
    if track.album_id is None and found.album:
        album_artist = _named(Artist, found.album_artist) if found.album_artist else track.artist
        track.album = _named(Album, found.album, artist=album_artist)
        if track.album.year is None and found.year:
            track.album.year = found.year
            track.album.save(update_fields=["year"])
    if track.track_number is None and found.track_number:
        track.track_number = found.track_number
    if track.year is None and found.year:
        track.year = found.year
    if found.genres and not track.genres.exists():
        track.genres.set([_named(Genre, name) for name in found.genres])


def _fill_album_artwork(album_id: int, jpeg: bytes) -> None:
    # Lock: two tracks of one album finishing together must not both write its cover.
    album = Album.objects.select_for_update().get(pk=album_id)
    if album.artwork:
        return
    album.artwork.save(f"cover-{album.pk}.jpg", ContentFile(jpeg), save=False)
    album.save(update_fields=["artwork"])
