"""Running ffmpeg and ffprobe: one local file in, bounded time, errors that say what failed.

ffmpeg picks a demuxer by what a file contains, and some demuxers (HLS, concat, SDP, DASH,
IMF...) open the other files, or network addresses, that a playlist inside the file names. So
every call here opens exactly one path, with the file protocol alone and a demuxer from
INPUT_FORMATS, and runs for a time in proportion to the file's size and duration.
"""

import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"

# The demuxers of the containers Tonearm accepts; none of them opens another file.
INPUT_FORMATS = ("mp3", "aac", "mov", "flac", "ogg", "wav", "aiff", "matroska")

# How long one call may run: a fixed allowance, plus some per mebibyte read and per second of
# audio decoded, never more than PIPELINE_TOOL_TIMEOUT_SECONDS.
BASE_SECONDS = 30.0
SECONDS_PER_MEBIBYTE = 2.0
SECONDS_PER_AUDIO_SECOND = 0.1  # every step runs faster than ten times real time
# Far below any real codec: a tiny file cannot buy hours by declaring them.
MIN_BYTES_PER_AUDIO_SECOND = 100


class ToolError(Exception):
    """ffmpeg or ffprobe could not be run, timed out, or exited with an error."""

    def __init__(self, message: str, *, stderr: str = ""):
        super().__init__(message)
        self.stderr = stderr


class ToolTimeout(ToolError):
    """The call ran longer than its file allows."""


@dataclass(frozen=True)
class Source:
    """A local file for the tools to read: this path only, with the demuxer named when known
    (the probed one), else one of INPUT_FORMATS chosen by content."""

    path: Path
    demuxer: str | None = None
    duration: float = 0.0  # as probed; sizes the time limit

    def input_args(self) -> list[str]:
        forced = ["-f", self.demuxer] if self.demuxer else []
        return [
            "-protocol_whitelist",
            "file",
            "-format_whitelist",
            ",".join(INPUT_FORMATS),
            *forced,
            "-i",
            f"file:{self.path}",
        ]

    def time_limit(self) -> float:
        """Seconds one tool call on this file may take."""
        size = self.path.stat().st_size
        seconds = min(self.duration, size / MIN_BYTES_PER_AUDIO_SECOND)
        limit = (
            BASE_SECONDS + SECONDS_PER_MEBIBYTE * size / 2**20 + SECONDS_PER_AUDIO_SECOND * seconds
        )
        return min(limit, settings.PIPELINE_TOOL_TIMEOUT_SECONDS)


def source(value: Path | Source) -> Source:
    return value if isinstance(value, Source) else Source(value)


def demuxer_of(format_name: str) -> str | None:
    """The accepted demuxer among ffprobe's `format_name` ("mov,mp4,m4a,..." -> "mov")."""
    return next((name for name in format_name.split(",") if name in INPUT_FORMATS), None)


def last_line(text: str, *, limit: int = 200) -> str:
    """The last meaningful line of a tool's stderr, trimmed: the one that says why it stopped."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:limit] if lines else ""


def run(args: list[str], *, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run a tool to completion, capturing text output; ToolError if it cannot start or hangs."""
    try:
        return subprocess.run(  # noqa: S603 - fixed tool names, file paths as arguments
            args,
            capture_output=True,
            text=True,
            errors="replace",
            stdin=subprocess.DEVNULL,
            timeout=timeout or settings.PIPELINE_TOOL_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError as exc:
        raise ToolError(f"{args[0]} is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise ToolTimeout(f"{args[0]} took longer than {exc.timeout:.0f} s") from exc


def ffmpeg_input(src: Path | Source) -> list[str]:
    """The arguments that open `src` as ffmpeg's only input, without reading stdin."""
    return [FFMPEG, "-hide_banner", "-nostdin", *source(src).input_args()]


def ffprobe_input(src: Path | Source) -> list[str]:
    """The arguments that open `src` as ffprobe's input."""
    return [FFPROBE, "-hide_banner", *source(src).input_args()]
