"""Real audio for the pipeline's tests, made once per test session with ffmpeg, mutagen and Pillow.

Each file is a few seconds of a sine tone over soft pink noise (so encoders spend their
bitrate), with tags, lyrics and an embedded cover written the way common taggers write them.
"""

import base64
import hashlib
import io
import json
import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from mutagen.flac import FLAC, Picture
from mutagen.id3 import ID3, SYLT, TALB, TCON, TDRC, TIT2, TPE1, TRCK, USLT
from mutagen.mp4 import MP4, MP4Cover
from mutagen.oggopus import OggOpus
from mutagen.wave import WAVE
from PIL import Image

from core.catalog.models import TrackStatus
from media_pipeline.storage import get_storage
from tests import factories

LYRICS = "First line of the song\nSecond line of the song"
LRC = "[00:00.50]First line of the song\n[00:02.25]Second line of the song"
SYNCED = [
    {"time": 0.5, "text": "First line of the song"},
    {"time": 2.25, "text": "Second line of the song"},
]
COVER_SIZE = (900, 700)


@dataclass(frozen=True)
class AudioSample:
    path: Path
    content_type: str
    duration: float
    codec: str
    tags: dict = field(default_factory=dict)
    has_cover: bool = False
    has_synced_lyrics: bool = False

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True)


def tone(out: Path, *, seconds: float, codec_args: list[str], metadata: dict, channels: int = 2):
    """A 440 Hz tone over pink noise, encoded with `codec_args`, tagged by ffmpeg."""
    layout = "stereo" if channels == 2 else "mono"
    meta = [arg for key, value in metadata.items() for arg in ("-metadata", f"{key}={value}")]
    ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=440:duration={seconds}:sample_rate=48000",
        "-f",
        "lavfi",
        "-i",
        f"anoisesrc=d={seconds}:c=pink:a=0.08:r=48000:seed=7",
        "-filter_complex",
        f"[0][1]amix=inputs=2:normalize=0,volume=0.9,aformat=channel_layouts={layout}",
        *codec_args,
        *meta,
        str(out),
    )


def cover_png(path: Path) -> bytes:
    image = Image.new("RGB", COVER_SIZE, (30, 60, 120))
    for x in range(0, COVER_SIZE[0], 60):
        image.paste((200, 120 + x % 100, 40), (x, 0, x + 30, COVER_SIZE[1]))
    out = io.BytesIO()
    image.save(out, "PNG")
    path.write_bytes(out.getvalue())
    return out.getvalue()


def _flac_picture(png: bytes) -> Picture:
    picture = Picture()
    picture.type = 3
    picture.mime = "image/png"
    picture.width, picture.height = COVER_SIZE
    picture.depth = 24
    picture.data = png
    return picture


def _tags(title: str) -> dict:
    return {
        "title": title,
        "artist": "The Sine Waves",
        "album": "Test Tones",
        "track": "3",
        "date": "2019",
        "genre": "Ambient",
    }


def make_samples(root: Path) -> dict[str, AudioSample]:
    png = cover_png(root / "cover.png")
    samples: dict[str, AudioSample] = {}

    # MP3: ID3v2 with USLT and SYLT lyrics, APIC cover attached by ffmpeg as a picture stream.
    tags = _tags("Tone in MP3")
    tone(
        root / "plain.mp3",
        seconds=4,
        codec_args=["-c:a", "libmp3lame", "-b:a", "192k"],
        metadata=tags,
    )
    ffmpeg(
        "-i",
        str(root / "plain.mp3"),
        "-i",
        str(root / "cover.png"),
        "-map",
        "0",
        "-map",
        "1",
        "-c",
        "copy",
        "-id3v2_version",
        "3",
        "-disposition:v",
        "attached_pic",
        str(root / "tone.mp3"),
    )
    id3 = ID3(root / "tone.mp3")
    id3.add(USLT(encoding=3, lang="eng", desc="", text=LYRICS))
    id3.add(
        SYLT(
            encoding=3,
            lang="eng",
            format=2,
            type=1,
            desc="",
            text=[(line["text"], int(line["time"] * 1000)) for line in SYNCED],
        )
    )
    id3.save(v2_version=3)
    samples["mp3"] = AudioSample(
        root / "tone.mp3", "audio/mpeg", 4.0, "mp3", tags, has_cover=True, has_synced_lyrics=True
    )

    # FLAC: Vorbis comments with LYRICS and SYNCEDLYRICS, a FLAC PICTURE block.
    tags = _tags("Tone in FLAC")
    tone(root / "tone.flac", seconds=5, codec_args=["-c:a", "flac"], metadata=tags)
    flac = FLAC(root / "tone.flac")
    flac["LYRICS"] = LYRICS
    flac["SYNCEDLYRICS"] = LRC
    flac.add_picture(_flac_picture(png))
    flac.save()
    samples["flac"] = AudioSample(
        root / "tone.flac", "audio/flac", 5.0, "flac", tags, has_cover=True, has_synced_lyrics=True
    )

    # Ogg Opus: LRC text in LYRICS, the cover as METADATA_BLOCK_PICTURE.
    tags = _tags("Tone in Opus")
    tone(
        root / "tone.opus",
        seconds=3,
        codec_args=["-c:a", "libopus", "-b:a", "96k", "-f", "ogg"],
        metadata=tags,
    )
    opus = OggOpus(root / "tone.opus")
    opus["LYRICS"] = LRC
    opus["METADATA_BLOCK_PICTURE"] = base64.b64encode(_flac_picture(png).write()).decode()
    opus.save()
    samples["opus"] = AudioSample(
        root / "tone.opus", "audio/ogg", 3.0, "opus", tags, has_cover=True, has_synced_lyrics=True
    )

    # M4A (AAC): MP4 atoms, ©lyr plain lyrics, covr.
    tags = _tags("Tone in AAC")
    tone(root / "tone.m4a", seconds=6, codec_args=["-c:a", "aac", "-b:a", "160k"], metadata=tags)
    mp4 = MP4(root / "tone.m4a")
    mp4["\xa9lyr"] = [LYRICS]
    mp4["covr"] = [MP4Cover(png, imageformat=MP4Cover.FORMAT_PNG)]
    mp4.save()
    samples["m4a"] = AudioSample(root / "tone.m4a", "audio/mp4", 6.0, "aac", tags, has_cover=True)

    # WAV: mono PCM with an ID3 chunk (what mutagen and many taggers write), no cover.
    tags = _tags("Tone in WAV")
    tone(root / "tone.wav", seconds=3, codec_args=["-c:a", "pcm_s16le"], metadata={}, channels=1)
    wave = WAVE(root / "tone.wav")
    wave.add_tags()
    wave.tags.add(TIT2(encoding=3, text=tags["title"]))
    wave.tags.add(TPE1(encoding=3, text=tags["artist"]))
    wave.tags.add(TALB(encoding=3, text=tags["album"]))
    wave.tags.add(TRCK(encoding=3, text=tags["track"]))
    wave.tags.add(TDRC(encoding=3, text=tags["date"]))
    wave.tags.add(TCON(encoding=3, text=tags["genre"]))
    wave.tags.add(USLT(encoding=3, lang="eng", desc="", text=LYRICS))
    wave.save()
    samples["wav"] = AudioSample(root / "tone.wav", "audio/wav", 3.0, "pcm_s16le", tags)

    # Bad inputs.
    (root / "text.mp3").write_text("This is a shopping list, not a song.\n" * 40)
    samples["text"] = AudioSample(root / "text.mp3", "audio/mpeg", 0, "")
    data = (root / "tone.flac").read_bytes()
    (root / "truncated.flac").write_bytes(data[: len(data) * 2 // 5])
    samples["truncated"] = AudioSample(root / "truncated.flac", "audio/flac", 5.0, "flac")
    (root / "empty.mp3").write_bytes(b"")
    samples["empty"] = AudioSample(root / "empty.mp3", "audio/mpeg", 0, "")
    # WAV bytes that will be declared as MP3.
    shutil.copy(root / "tone.wav", root / "liar.mp3")
    samples["liar"] = AudioSample(root / "liar.mp3", "audio/mpeg", 3.0, "pcm_s16le")
    # An image attached as cover, without audio.
    shutil.copy(root / "cover.png", root / "picture.mp3")
    samples["picture"] = AudioSample(root / "picture.mp3", "audio/mpeg", 0, "")
    return samples


@pytest.fixture(scope="session")
def audio_samples(tmp_path_factory) -> dict[str, AudioSample]:
    """Every sample file, generated once per test process (xdist workers each make their own)."""
    return make_samples(tmp_path_factory.mktemp("audio"))


@pytest.fixture(scope="session")
def long_flac(tmp_path_factory) -> AudioSample:
    """Two minutes of FLAC: long enough to stop a worker in the middle of processing it."""
    path = tmp_path_factory.mktemp("long") / "long.flac"
    tone(path, seconds=120, codec_args=["-c:a", "flac"], metadata={"title": "Long tone"})
    return AudioSample(path, "audio/flac", 120.0, "flac")


def stored_track(sample: AudioSample, *, content_type: str | None = None, **fields):
    """Put `sample` in storage and register a bare track for it (metadata left empty)."""
    content_type = content_type or sample.content_type
    key = f"audio/{uuid.uuid4().hex}{sample.path.suffix}"
    with sample.path.open("rb") as f:
        get_storage().upload_fileobj(key, f, content_type=content_type)
    values = {
        "title": "",
        "album": None,
        "track_number": None,
        "year": None,
        "duration": None,
        "storage_key": key,
        "size": sample.path.stat().st_size,
        "content_type": content_type,
        "checksum_sha256": "",
        "status": TrackStatus.PROCESSING,
        **fields,
    }
    return factories.TrackFactory(**values)


def ffprobe_stream(path: Path) -> dict:
    """codec_name, bit_rate, sample_rate, channels of the first audio stream, by ffprobe."""
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "a:0",
            "-show_entries",
            "stream=codec_name,bit_rate,sample_rate,channels:format=format_name,duration",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    return {**data["streams"][0], **data["format"]}


def reference_loudness(path: Path) -> tuple[float, float]:
    """Integrated loudness and true peak by ffmpeg's loudnorm analysis, for comparison."""
    result = subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-nostdin",
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-af",
            "loudnorm=print_format=json",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    stats = json.loads(result.stderr[result.stderr.rindex("{") :])
    return float(stats["input_i"]), float(stats["input_tp"])


def process_now(track) -> str:
    """Prepare a run for `track` and process it in this process, as a worker would."""
    from core.processing.jobs import track_process_enqueue
    from core.processing.run import track_process

    job = track_process_enqueue(track_id=track.pk, send=False)
    return track_process(track_id=track.pk, token=str(job.token))


@pytest.fixture
def no_variants(settings):
    """Skip transcoding in tests about other steps: it is the slowest step, tested on its own."""
    settings.PIPELINE_VARIANTS = []
