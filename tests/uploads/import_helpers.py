"""A folder of audio as an admin would import it: nested, tagged and untagged, bad files."""

import hashlib
import shutil
from pathlib import Path

from tests.media_pipeline.audio_fixtures import AudioSample, tone

GOOD = [
    "The Sine Waves/Test Tones/03 tone.flac",
    "The Sine Waves/Test Tones/tone.mp3",
    "The Sine Waves/Live/tone.opus",
    "tone.m4a",
    "deep/nested/folder/tone.wav",
    "Untagged/07 - Untitled Hum.flac",
]
BAD = {
    "Broken/broken.flac": "corrupt audio",
    "shopping list.mp3": "not an audio file",
}


def make_library(root: Path, samples: dict[str, AudioSample]) -> Path:
    """Six good files in nested folders, a corrupt FLAC, a text file named .mp3, and files
    that are not audio by their name (ignored)."""
    sources = {
        GOOD[0]: samples["flac"].path,
        GOOD[1]: samples["mp3"].path,
        GOOD[2]: samples["opus"].path,
        GOOD[3]: samples["m4a"].path,
        GOOD[4]: samples["wav"].path,
    }
    for relative, source in sources.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, root / relative)
    untagged = root / GOOD[5]
    untagged.parent.mkdir(parents=True)
    tone(untagged, seconds=2, codec_args=["-c:a", "flac"], metadata={})

    (root / "Broken").mkdir()
    flac = samples["flac"].path.read_bytes()
    # A FLAC whose STREAMINFO block is overwritten: the header says FLAC, nothing else holds.
    (root / "Broken/broken.flac").write_bytes(flac[:4] + b"\xff" * 60 + flac[64:2000])
    shutil.copy(samples["text"].path, root / "shopping list.mp3")
    (root / "The Sine Waves/Test Tones/cover.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    (root / "notes.txt").write_text("Ripped in 2019.\n")
    (root / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    return root


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
