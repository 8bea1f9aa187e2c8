"""A compact peak envelope for scrubbing, read from ffmpeg's decoded PCM in bounded memory."""

import math
import subprocess
import sys
import tempfile
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path

from media_pipeline.audio import tools

SAMPLE_RATE = 8000  # mono; enough to draw peaks, cheap to read
CHUNK_BYTES = 256 * 1024
FULL_SCALE = 32768


class WaveformError(Exception):
    """ffmpeg could not decode the audio."""


@dataclass(frozen=True)
class Waveform:
    peaks: list[float]  # 0..1, one per slice of time
    decoded_seconds: float  # how much audio actually decoded


def _resize(peaks: list[float], points: int) -> list[float]:
    """Exactly `points` values: max-pooled when there are more, repeated when there are fewer."""
    if not peaks or len(peaks) == points:
        return peaks
    count = len(peaks)
    out = []
    for i in range(points):
        start = i * count // points
        end = max((i + 1) * count // points, start + 1)
        out.append(max(peaks[start:end]))
    return out


class _Peaks:
    """Running per-bucket maxima over a stream of signed 16-bit samples."""

    def __init__(self, bucket: int):
        self.bucket = bucket
        self.pending = array("h")
        self.peaks: list[float] = []
        self.samples = 0

    def feed(self, samples: array) -> None:
        self.samples += len(samples)
        self.pending.extend(samples)
        whole = len(self.pending) - len(self.pending) % self.bucket
        for start in range(0, whole, self.bucket):
            part = self.pending[start : start + self.bucket]
            self.peaks.append(max(max(part), -min(part)) / FULL_SCALE)
        del self.pending[:whole]

    def finish(self) -> list[float]:
        if self.pending:
            self.peaks.append(max(max(self.pending), -min(self.pending)) / FULL_SCALE)
            self.pending = array("h")
        return self.peaks


def compute(path: Path | tools.Source, *, duration: float, points: int = 1000) -> Waveform:
    """`points` peaks in 0..1 across the file; `duration` (probed) sizes the slices up front."""
    src = tools.source(path)
    expected = max(1, math.ceil(duration * SAMPLE_RATE))
    peaks = _Peaks(bucket=max(1, math.ceil(expected / points)))
    args = [
        *tools.ffmpeg_input(src),
        "-v",
        "error",
        "-map",
        "0:a:0",
        "-ac",
        "1",
        "-ar",
        str(SAMPLE_RATE),
        "-f",
        "s16le",
        "-acodec",
        "pcm_s16le",
        "-",
    ]
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors)  # noqa: S603
        except FileNotFoundError as exc:
            raise WaveformError("ffmpeg is not installed") from exc
        carry = b""
        # A hung decoder would block the read below forever: the watchdog kills it.
        watchdog = threading.Timer(src.time_limit(), proc.kill)
        watchdog.start()
        try:
            assert proc.stdout is not None
            while chunk := proc.stdout.read(CHUNK_BYTES):
                chunk = carry + chunk
                usable = len(chunk) - len(chunk) % 2
                carry = chunk[usable:]
                samples = array("h")
                samples.frombytes(chunk[:usable])
                if sys.byteorder == "big":
                    samples.byteswap()
                peaks.feed(samples)
            returncode = proc.wait()
        finally:
            watchdog.cancel()
            if proc.stdout is not None:
                proc.stdout.close()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        errors.seek(0)
        stderr = errors.read(64 * 1024).decode("utf-8", "replace")
    if returncode != 0:
        raise WaveformError(tools.last_line(stderr) or f"ffmpeg exited with {returncode}")
    values = [round(min(1.0, p), 4) for p in _resize(peaks.finish(), points)]
    return Waveform(peaks=values, decoded_seconds=peaks.samples / SAMPLE_RATE)
