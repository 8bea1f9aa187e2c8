"""Files that name other files: playlists and scripts that ffmpeg would follow if it could.

Each is made in the test from the absolute path of a secret audio file on the worker's disk
(the original of someone else's upload) and, for relative names, from the work directory the
run will use.
"""

import os
from pathlib import Path

from tests.media_pipeline.audio_fixtures import ffmpeg

SECRET_SECONDS = 5


def secret_audio(root: Path) -> Path:
    """Someone else's audio on the worker's disk: five seconds of a 1 kHz tone."""
    path = root / "storage" / "audio" / "2026" / "01" / "secret.mp3"
    path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=1000:duration={SECRET_SECONDS}",
        "-c:a",
        "libmp3lame",
        str(path),
    )
    return path


def hls(segment: str, *, repeat: int = 1) -> bytes:
    """An HLS playlist declaring the segment's true length, as an attacker would."""
    entries = "".join(f"#EXTINF:{SECRET_SECONDS},\n{segment}\n" for _ in range(repeat))
    head = f"#EXTM3U\n#EXT-X-TARGETDURATION:{SECRET_SECONDS}\n"
    return f"{head}{entries}#EXT-X-ENDLIST\n".encode()


def playlists(secret: Path, work_dir: Path) -> dict[str, bytes]:
    """Every crafted playlist or script, by name; `work_dir` is PIPELINE_WORK_DIR."""
    # The run opens the upload in a directory of its own under the work directory.
    relative = os.path.relpath(secret, work_dir / "tonearm-track-x")
    return {
        "hls_absolute": hls(str(secret)),
        "hls_relative": hls(relative),
        "hls_repeating_one_file": hls(str(secret), repeat=360),
        "m3u_file_url": hls(f"file:{secret}"),
        "ffconcat": f"ffconcat version 1.0\nfile {relative}\nfile {secret}\n".encode(),
        "concat_script": f"file '{secret}'\nfile '{relative}'\n".encode(),
        "sdp": (
            b"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=Tone\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            b"m=audio 5004 RTP/AVP 96\r\na=rtpmap:96 L16/44100/2\r\n"
        ),
    }


def audio_with_subtitles_and_attachment(root: Path, secret: Path) -> Path:
    """Matroska audio that also carries a subtitle stream and an attached file."""
    subtitles = root / "words.srt"
    subtitles.write_text("1\n00:00:00,000 --> 00:00:01,000\nHello\n")
    out = root / "carrier.mka"
    ffmpeg(
        "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
        "-i", str(subtitles),
        "-map", "0", "-map", "1", "-c:a", "libopus", "-c:s", "srt",
        "-attach", str(secret), "-metadata:s:t", "mimetype=application/octet-stream",
        str(out),
    )  # fmt: skip
    return out
