"""Running ffmpeg and ffprobe: bounded time, stderr kept small, errors that say what failed."""

import subprocess
from pathlib import Path

from django.conf import settings

FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"


class ToolError(Exception):
    """ffmpeg or ffprobe could not be run, timed out, or exited with an error."""

    def __init__(self, message: str, *, stderr: str = ""):
        super().__init__(message)
        self.stderr = stderr


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
        raise ToolError(f"{args[0]} took longer than {exc.timeout:.0f} s") from exc


def ffmpeg_input(path: Path) -> list[str]:
    """The arguments that open `path` as ffmpeg's only input, without reading stdin."""
    return [FFMPEG, "-hide_banner", "-nostdin", "-i", str(path)]
