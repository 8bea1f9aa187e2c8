"""Thirty-second previews: where to start one, and cutting it with ffmpeg into a small MP3."""

from dataclasses import dataclass
from pathlib import Path

from media_pipeline.audio import tools

LENGTH = 30.0  # seconds
FROM_START_BELOW = 45.0  # a track shorter than this previews from its start
BITRATE = 128_000
FADE = 1.0  # seconds of fade in and out, so a cut mid-phrase does not click
CONTENT_TYPE = "audio/mpeg"
EXTENSION = "mp3"


class PreviewError(Exception):
    """ffmpeg could not cut the preview."""


@dataclass(frozen=True)
class Preview:
    path: Path
    start: float
    length: float
    size: int
    content_type: str = CONTENT_TYPE


def loudest_start(peaks: list[float], duration: float, *, length: float = LENGTH) -> float:
    """The start, in seconds, of the `length`-second window with the most energy in the
    waveform's peaks (evenly spread over `duration`); 0 for tracks under FROM_START_BELOW."""
    if duration < FROM_START_BELOW or not peaks or duration <= length:
        return 0.0
    step = duration / len(peaks)
    width = max(1, min(len(peaks), round(length / step)))
    energy = [p * p for p in peaks]
    window = sum(energy[:width])
    best, best_at = window, 0
    for i in range(width, len(energy)):
        window += energy[i] - energy[i - width]
        if window > best + 1e-12:
            best, best_at = window, i - width + 1
    return round(min(best_at * step, duration - length), 3)


def clamp_start(start: float, duration: float, *, length: float = LENGTH) -> float:
    """A start an uploader chose, moved back so that the preview is whole where it can be."""
    return round(max(0.0, min(start, duration - length)), 3)


def cut(source: Path | tools.Source, out_dir: Path, *, start: float, duration: float) -> Preview:
    """Encode `LENGTH` seconds of `source` from `start` as MP3, faded in and out."""
    src = tools.source(source)
    length = max(0.1, min(LENGTH, duration - start)) if duration else LENGTH
    target = out_dir / f"preview.{EXTENSION}"
    fade = min(FADE, length / 4)
    fades = f"afade=t=in:d={fade:.3f},afade=t=out:st={max(0.0, length - fade):.3f}:d={fade:.3f}"
    try:
        result = tools.run(
            [
                *tools.ffmpeg_input(src),
                "-v",
                "error",
                "-y",
                "-ss",
                f"{start:.3f}",
                "-t",
                f"{length:.3f}",
                "-map",
                "0:a:0",
                "-vn",
                "-sn",
                "-dn",
                "-map_metadata",
                "-1",
                "-af",
                fades,
                "-ac",
                "2",
                "-c:a",
                "libmp3lame",
                "-b:a",
                str(BITRATE),
                "-f",
                "mp3",
                str(target),
            ],
            timeout=src.time_limit(),
        )
    except tools.ToolTimeout as exc:
        raise PreviewError(str(exc)) from exc
    if result.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        raise PreviewError(tools.last_line(result.stderr) or "ffmpeg produced no preview")
    return Preview(path=target, start=start, length=length, size=target.stat().st_size)
