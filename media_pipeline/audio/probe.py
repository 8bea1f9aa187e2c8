"""What a file is, according to ffprobe: real audio or not, and its technical description."""

import json
from dataclasses import dataclass
from pathlib import Path

from media_pipeline.audio import formats, tools

# Leading bytes of audio containers: a file that starts like one but will not open is damaged.
_MAGIC = (b"ID3", b"fLaC", b"OggS", b"RIFF", b"FORM", b"\x1a\x45\xdf\xa3", b"\xff\xfb", b"\xff\xf3")


class NotAudio(Exception):
    """The file is not decodable audio. The message is a fixed sentence meant for the uploader;
    `detail` holds the tool's own words (with file paths) for operators."""

    def __init__(self, message: str, *, detail: str = ""):
        super().__init__(message)
        self.detail = detail


@dataclass(frozen=True)
class AudioInfo:
    container: str
    codec: str
    duration: float
    bitrate: int | None
    sample_rate: int | None
    channels: int | None
    content_type: str | None
    duration_is_estimate: bool = False


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _looks_like_audio(path: Path) -> bool:
    with path.open("rb") as f:
        head = f.read(12)
    return head.startswith(_MAGIC) or head[4:8] == b"ftyp"


def probe(path: Path) -> AudioInfo:
    """Describe the first audio stream of `path`; NotAudio with a plain reason if none."""
    if path.stat().st_size == 0:
        raise NotAudio("Uploaded file is empty")
    result = tools.run(
        [
            tools.FFPROBE,
            "-v",
            "warning",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
            str(path),
        ]
    )
    try:
        data = json.loads(result.stdout or "{}")
    except ValueError:
        data = {}
    if result.returncode != 0 or "format" not in data:
        why = tools.last_line(result.stderr) or "unreadable data"
        if _looks_like_audio(path):
            raise NotAudio("File is truncated or corrupt: ffprobe could not open it", detail=why)
        raise NotAudio("Not an audio file: ffprobe did not recognise it as any audio format")
    streams = [s for s in data.get("streams", []) if s.get("codec_type") == "audio"]
    if not streams:
        raise NotAudio("Not an audio file: ffprobe found no audio stream")
    stream, fmt = streams[0], data["format"]
    duration = _float(stream.get("duration")) or _float(fmt.get("duration"))
    if not duration or duration <= 0:
        raise NotAudio("File is truncated or corrupt: ffprobe found no audio frames in it")
    container = fmt.get("format_name", "")
    return AudioInfo(
        container=container,
        codec=stream.get("codec_name", ""),
        duration=duration,
        bitrate=_int(stream.get("bit_rate")) or _int(fmt.get("bit_rate")),
        sample_rate=_int(stream.get("sample_rate")),
        channels=_int(stream.get("channels")),
        content_type=formats.FFPROBE_FORMATS.get(container),
        duration_is_estimate="Estimating duration from bitrate" in result.stderr,
    )
