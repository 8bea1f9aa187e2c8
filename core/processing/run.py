"""The run: turning a registered upload into a stream-ready track, in a background job.

Life of a run: `track_process_enqueue` (jobs.py) marks the track and queues a job; a worker
calls `track_process`, which verifies the stored object, downloads it to a temporary file,
probes it, reads tags and artwork, measures loudness, draws the waveform, uploads thumbnails
and streaming variants, and saves everything in one transaction (services.py): `ready`, or
`failed` with a reason the uploader can act on. Transient storage errors are retried with
backoff; a worker that dies mid-run is noticed by `processing_sweep_stale` (jobs.py) through
the job's heartbeat.
"""

import hashlib
import io
import logging
import tempfile
import traceback
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import DatabaseError

from core.catalog.models import Track
from core.processing.jobs import (
    Heartbeat,
    job_claim,
    job_finish_failed,
    job_retry_or_fail,
)
from core.processing.services import Outcome, job_finish_ready
from media_pipeline.audio import (
    artwork,
    formats,
    loudness,
    preview,
    probe,
    tags,
    transcode,
    waveform,
)
from media_pipeline.storage import ObjectNotFound, StorageUnavailable, get_storage

logger = logging.getLogger(__name__)

THUMBNAIL_SIZES = (64, 256, 640)
ALBUM_ARTWORK_SIZE = 640


class BadMedia(Exception):
    """The stored file cannot become a playable track; the message, a fixed sentence, is shown
    to the uploader. A tool's own words (with temporary paths) ride on `__cause__` and go to
    the job's `last_error`, for moderators only."""


def variant_key(track_id: int, quality: str, extension: str) -> str:
    return f"derived/tracks/{track_id}/{quality}.{extension}"


def artwork_key(track_id: int, size: int) -> str:
    return f"derived/tracks/{track_id}/cover-{size}.jpg"


def preview_key(track_id: int) -> str:
    return f"derived/tracks/{track_id}/preview.{preview.EXTENSION}"


def track_process(*, track_id: int, token: str) -> str:
    """Run the pipeline for one track; what happened: ready, failed, retrying or skipped."""
    job = job_claim(track_id, token)
    if job is None:
        return "skipped"
    try:
        with (
            Heartbeat(job),
            tempfile.TemporaryDirectory(
                prefix="tonearm-track-", dir=settings.PIPELINE_WORK_DIR
            ) as workdir,
        ):
            track = Track.objects.select_related("media").get(pk=track_id)
            outcome = _run(track, Path(workdir))
    except BadMedia as exc:
        logger.info("Track %s failed processing: %s", track_id, exc)
        # The reason is a fixed sentence; the tool's own words are for moderators only.
        cause = str(exc.__cause__ or "")
        error = f"{exc} ({cause})" if cause and cause != str(exc) else str(exc)
        return "failed" if job_finish_failed(job, reason=str(exc), error=error) else "skipped"
    except StorageUnavailable as exc:
        return job_retry_or_fail(job, exc)
    except DatabaseError:
        raise  # the job stays `running`; the sweep re-sends it once its heartbeat is stale
    except Exception as exc:
        logger.exception("Processing of track %s failed unexpectedly", track_id)
        reason = "Processing failed unexpectedly; a moderator can re-run it"
        error = "".join(traceback.format_exception(exc))[-4000:]
        return "failed" if job_finish_failed(job, reason=reason, error=error) else "skipped"
    if job_finish_ready(job, outcome):
        return "ready"
    if not Track.objects.filter(pk=track_id).exists():
        # Deleted while we worked: nothing will point at what this run stored.
        keys = [key for _, key in outcome.variants] + list(outcome.artwork_keys.values())
        keys += [outcome.preview_key] if outcome.preview_key else []
        for key in keys:
            get_storage().delete(key)
    return "skipped"


def _run(track: Track, workdir: Path) -> Outcome:
    storage = get_storage()
    media = getattr(track, "media", None)
    declared_type = (media.declared_content_type if media else "") or track.content_type
    sha256, _ = _verify_and_download(track, declared_type, workdir / "original")
    info = _probe(workdir / "original")
    source = workdir / f"original.{formats.extension(info.content_type or '')}"
    (workdir / "original").rename(source)
    audio = info.source(source)

    try:
        measured = loudness.measure(audio)
        wave = waveform.compute(audio, duration=info.duration)
    except (loudness.LoudnessError, waveform.WaveformError) as exc:
        raise BadMedia("File is truncated or corrupt: ffmpeg could not decode it") from exc
    duration = check_complete(info, wave.decoded_seconds)

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
    for profile in variant_profiles(info, source_size=source.stat().st_size):
        try:
            variant = transcode.transcode(audio, out_dir, profile, channels=info.channels)
        except transcode.TranscodeError as exc:
            raise BadMedia("File could not be converted for streaming") from exc
        if variant.size >= source.stat().st_size:
            continue  # no saving on the original: it streams instead
        key = variant_key(track.pk, profile.quality, profile.extension)
        with variant.path.open("rb") as f:
            storage.upload_fileobj(key, f, content_type=variant.content_type)
        outcome.variants.append((variant, key))
    made = make_preview(
        track, audio, duration=duration, peaks=wave.peaks, workdir=workdir, storage=storage
    )
    if made is not None:
        outcome.preview_key, outcome.preview_offset = made
    return outcome


def preview_start_for(track: Track, *, duration: float, peaks: list[float]) -> float:
    """Where the track's preview starts: the uploader's choice when set, kept whole where the
    track allows; else the loudest 30 seconds; from the start for tracks under 45 seconds."""
    if duration < preview.FROM_START_BELOW:
        return 0.0
    if track.preview_start is not None:
        return preview.clamp_start(track.preview_start, duration)
    return preview.loudest_start(peaks, duration)


def make_preview(
    track: Track, audio, *, duration: float, peaks: list[float], workdir: Path, storage
) -> tuple[str, float] | None:
    """Cut and store the track's preview: its key and start; None when ffmpeg could not (the
    track still plays; a later `reprocess --only preview` may try again)."""
    start = preview_start_for(track, duration=duration, peaks=peaks)
    out_dir = workdir / "preview"
    out_dir.mkdir(exist_ok=True)
    try:
        cut = preview.cut(audio, out_dir, start=start, duration=duration)
    except preview.PreviewError:
        logger.warning("Track %s: no preview could be cut", track.pk, exc_info=True)
        return None
    key = preview_key(track.pk)
    with cut.path.open("rb") as f:
        storage.upload_fileobj(key, f, content_type=cut.content_type)
    return key, cut.start


def variant_profiles(info: probe.AudioInfo, *, source_size: int) -> list[transcode.Profile]:
    """The configured variants worth making: each must have a lower bitrate than its source.

    A variant exists to be smaller; one at or above the source's bitrate would be a larger,
    worse copy. Those are skipped, and a stream asking for them gets the original.
    """
    source_bitrate = info.bitrate
    if not source_bitrate and info.duration:
        source_bitrate = int(source_size * 8 / info.duration)
    profiles = [transcode.PROFILES[quality] for quality in settings.PIPELINE_VARIANTS]
    if not source_bitrate:
        return profiles
    return [profile for profile in profiles if profile.bitrate < source_bitrate]


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
    stored_type = formats.canonical(stored.content_type)
    if stored_type not in formats.UNTYPED and stored_type != formats.canonical(declared_type):
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


def check_complete(info: probe.AudioInfo, decoded: float) -> float:
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
