"""What a file is, according to ffprobe: real audio or not, and its technical description."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from media_pipeline.audio import formats, tools

# Leading bytes of audio containers: a file that starts like one but will not open is damaged.
_MAGIC = (b"ID3", b"fLaC", b"OggS", b"RIFF", b"FORM", b"\x1a\x45\xdf\xa3", b"\xff\xfb", b"\xff\xf3")


NOT_ACCEPTED = (
    "Not an audio file: Tonearm accepts MP3, AAC, MP4, FLAC, Ogg, WAV, AIFF and Matroska/WebM "
    "audio, not playlists or other formats"
)
# Streams that have no place in a song, and in which containers carry other documents.
_REFUSED_STREAMS = {"subtitle", "attachment"}


class NotAudio(Exception):
    """The file is not decodable audio; the message is meant for the uploader."""


@dataclass(frozen=True)
class AudioInfo:
    container: str
    demuxer: str
    codec: str
    duration: float
    bitrate: int | None
    sample_rate: int | None
    channels: int | None
    content_type: str | None
    duration_is_estimate: bool = False

    def source(self, path: Path) -> tools.Source:
        """`path` (this file, wherever it now lies) to be read with the probed demuxer."""
        return tools.Source(path, demuxer=self.demuxer, duration=self.duration)


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


def _run_ffprobe(path: Path):
    src = tools.Source(path)
    try:
        return tools.run(
            [
                *tools.ffprobe_input(src),
                "-v",
                "warning",
                "-print_format",
                "json",
                "-show_format",
                "-show_streams",
            ],
            timeout=src.time_limit(),
        )
    except tools.ToolTimeout:
        raise NotAudio("File could not be read in the time a file of its size allows") from None


def _refuse_unopened(path: Path, stderr: str) -> NoReturn:
    if "not on whitelist" in stderr:
        raise NotAudio(NOT_ACCEPTED)
    if _looks_like_audio(path):
        raise NotAudio("File is truncated or corrupt: ffprobe could not open it")
    raise NotAudio("Not an audio file: ffprobe did not recognise it as any audio format")


def probe(path: Path) -> AudioInfo:
    """Describe the first audio stream of `path`; NotAudio with a plain reason if none."""
    if path.stat().st_size == 0:
        raise NotAudio("Uploaded file is empty")
    result = _run_ffprobe(path)
    try:
        data = json.loads(result.stdout or "{}")
    except ValueError:
        data = {}
    if result.returncode != 0 or "format" not in data:
        _refuse_unopened(path, result.stderr)
    container = data["format"].get("format_name", "")
    demuxer = tools.demuxer_of(container)
    if demuxer is None:  # the whitelist admits nothing else; this guards a change to it
        raise NotAudio(NOT_ACCEPTED)
    kinds = {s.get("codec_type") for s in data.get("streams", [])}
    if kinds & _REFUSED_STREAMS:
        raise NotAudio("Not an audio file: it carries subtitles or attached files besides audio")
    streams = [s for s in data.get("streams", []) if s.get("codec_type") == "audio"]
    if not streams:
        raise NotAudio("Not an audio file: ffprobe found no audio stream")
    stream, fmt = streams[0], data["format"]
    duration = _float(stream.get("duration")) or _float(fmt.get("duration"))
    if not duration or duration <= 0:
        raise NotAudio("File is truncated or corrupt: ffprobe found no audio frames in it")
    return AudioInfo(
        container=container,
        demuxer=demuxer,
        codec=stream.get("codec_name", ""),
        duration=duration,
        bitrate=_int(stream.get("bit_rate")) or _int(fmt.get("bit_rate")),
        sample_rate=_int(stream.get("sample_rate")),
        channels=_int(stream.get("channels")),
        content_type=formats.FFPROBE_FORMATS.get(container),
        duration_is_estimate="Estimating duration from bitrate" in result.stderr,
    )
