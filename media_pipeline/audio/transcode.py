"""Streaming variants made with ffmpeg: smaller files for mobile data, tags kept, no pictures."""

import json
from dataclasses import dataclass
from pathlib import Path

from media_pipeline.audio import tools


@dataclass(frozen=True)
class Profile:
    quality: str
    codec: str  # ffmpeg encoder
    bitrate: int  # bits per second
    extension: str
    muxer: str
    content_type: str


PROFILES = {
    "normal": Profile("normal", "aac", 128_000, "m4a", "mp4", "audio/mp4"),
    "low": Profile("low", "aac", 64_000, "m4a", "mp4", "audio/mp4"),
}


class TranscodeError(Exception):
    """ffmpeg could not produce the variant."""


@dataclass(frozen=True)
class Variant:
    quality: str
    path: Path
    codec: str
    bitrate: int | None
    content_type: str
    size: int


def _stream_facts(path: Path) -> tuple[str, int | None]:
    src = tools.Source(path, demuxer="mov")  # our own output, written by the mp4 muxer
    result = tools.run(
        [
            *tools.ffprobe_input(src),
            "-v",
            "error",
            "-select_streams",
            "a:0",
            "-show_entries",
            "stream=codec_name,bit_rate",
            "-print_format",
            "json",
        ],
        timeout=src.time_limit(),
    )
    streams = json.loads(result.stdout or "{}").get("streams") or [{}]
    bitrate = streams[0].get("bit_rate")
    return streams[0].get("codec_name", ""), int(bitrate) if bitrate else None


def transcode(
    source: Path | tools.Source, out_dir: Path, profile: Profile, *, channels: int | None
) -> Variant:
    """Encode the first audio stream of `source` with `profile` into `out_dir`."""
    src = tools.source(source)
    target = out_dir / f"{profile.quality}.{profile.extension}"
    downmix = ["-ac", "2"] if channels and channels > 2 else []
    try:
        result = _encode(src, target, profile, downmix)
    except tools.ToolTimeout as exc:
        raise TranscodeError(str(exc)) from exc
    if result.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        raise TranscodeError(tools.last_line(result.stderr) or "ffmpeg produced no output")
    codec, bitrate = _stream_facts(target)
    return Variant(
        quality=profile.quality,
        path=target,
        codec=codec,
        bitrate=bitrate,
        content_type=profile.content_type,
        size=target.stat().st_size,
    )


def _encode(src: tools.Source, target: Path, profile: Profile, downmix: list[str]):
    return tools.run(
        [
            *tools.ffmpeg_input(src),
            "-v",
            "error",
            "-y",
            "-map",
            "0:a:0",
            "-vn",
            "-sn",
            "-dn",
            "-map_metadata",
            "0",
            "-c:a",
            profile.codec,
            "-b:a",
            str(profile.bitrate),
            *downmix,
            "-movflags",
            "+faststart",
            "-f",
            profile.muxer,
            str(target),
        ],
        timeout=src.time_limit(),
    )
