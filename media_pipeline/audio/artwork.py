"""The embedded cover picture, and square JPEG thumbnails made from it with Pillow."""

import base64
import io
import logging
from pathlib import Path

import mutagen
from mutagen.flac import Picture
from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

FRONT_COVER = 3  # the picture type for "Cover (front)" in ID3 APIC and FLAC PICTURE
MAX_PIXELS = 40_000_000  # larger pictures are refused rather than decoded (memory)


class BadArtwork(Exception):
    """The embedded picture is not an image Pillow can use."""


def _pick(pictures: list[tuple[int, bytes]]) -> bytes | None:
    """The front cover when there is one, else the first picture."""
    if not pictures:
        return None
    for kind, data in pictures:
        if kind == FRONT_COVER:
            return data
    return pictures[0][1]


def _vorbis_pictures(tags) -> list[tuple[int, bytes]]:
    found = []
    for value in tags.get("metadata_block_picture", []):
        try:
            picture = Picture(base64.b64decode(value))
        except (ValueError, mutagen.MutagenError):
            continue
        found.append((picture.type, picture.data))
    return found


def extract_cover(path: Path) -> bytes | None:
    """The bytes of the embedded cover picture, or None when the file carries none."""
    try:
        audio = mutagen.File(path)
    except (mutagen.MutagenError, OSError, ValueError, IndexError) as exc:
        logger.warning("Unreadable tags in %s: %s", path.name, exc)
        return None
    if audio is None:
        return None
    pictures: list[tuple[int, bytes]] = [(p.type, p.data) for p in getattr(audio, "pictures", [])]
    tags = audio.tags
    if isinstance(tags, ID3):
        pictures += [(frame.type, frame.data) for frame in tags.getall("APIC")]
    elif isinstance(tags, MP4Tags):
        pictures += [(FRONT_COVER, bytes(cover)) for cover in tags.get("covr", [])]
    elif tags is not None and hasattr(tags, "get"):
        pictures += _vorbis_pictures(tags)
    return _pick(pictures)


def make_thumbnails(data: bytes, sizes: tuple[int, ...]) -> dict[int, bytes]:
    """Square JPEG thumbnails, centre-cropped, one per size; never enlarged past the original."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise BadArtwork(f"cover is {width}x{height} pixels, too large")
            image = ImageOps.exif_transpose(probe)
            image = image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise BadArtwork(f"cover is not a readable image ({exc})") from exc
    thumbnails = {}
    for size in sizes:
        side = min(size, image.width, image.height)
        thumb = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        thumb.save(out, "JPEG", quality=85, optimize=True, progressive=True)
        thumbnails[size] = out.getvalue()
    return thumbnails
