"""Descriptive tags read with mutagen: ID3 (MP3, WAV, AIFF), MP4 atoms and Vorbis comments."""

import functools
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import mutagen
from django.conf import settings
from django.utils.module_loading import import_string
from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags

logger = logging.getLogger(__name__)


@functools.cache
def _text_policy():
    """The text policy tag values go through (the domain's, named by AUDIO_TAG_TEXT_CLEANER:
    audio tools know nothing of it)."""
    path = settings.AUDIO_TAG_TEXT_CLEANER
    return import_string(path) if path else str


def clean_text(value: str) -> str:
    return _text_policy()(value)


_LRC_LINE = re.compile(r"^((?:\[\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?\])+)(.*)$")
_LRC_STAMP = re.compile(r"\[(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?\]")
_SYLT_MILLISECONDS = 2


@dataclass(frozen=True)
class SyncedLine:
    time: float  # seconds from the start
    text: str


@dataclass(frozen=True)
class Tags:
    title: str = ""
    artist: str = ""
    album: str = ""
    album_artist: str = ""
    track_number: int | None = None
    year: int | None = None
    genres: list[str] = field(default_factory=list)
    lyrics: str = ""
    lyrics_synced: list[SyncedLine] = field(default_factory=list)


def parse_lrc(text: str) -> list[SyncedLine]:
    """Timed lines of LRC text (`[01:02.50]words`), sorted; lines without a time are ignored."""
    lines = []
    for raw in text.splitlines():
        match = _LRC_LINE.match(raw.strip())
        if not match:
            continue
        words = match.group(2).strip()
        for minutes, seconds, fraction in _LRC_STAMP.findall(match.group(1)):
            frac = int(fraction) / 10 ** len(fraction) if fraction else 0.0
            lines.append(
                SyncedLine(time=round(int(minutes) * 60 + int(seconds) + frac, 3), text=words)
            )
    return sorted(lines, key=lambda line: line.time)


def _plain_from_synced(lines: list[SyncedLine]) -> str:
    return "\n".join(line.text for line in lines)


def _number(value: str | None) -> int | None:
    """The leading number of "3", "3/12" or "2019-05-01"; None when there is none."""
    match = re.match(r"\s*(\d+)", str(value or ""))
    if not match:
        return None
    number = int(match.group(1))
    return number if 0 < number < 32768 else None


def _split_genres(values: list[str]) -> list[str]:
    genres: list[str] = []
    for value in values:
        for part in re.split(r"[;\x00]", str(value)):
            name = clean_text(part).strip()[:100]
            if name and name.lower() not in {g.lower() for g in genres}:
                genres.append(name)
    return genres


def _text(value, limit: int = 300) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return clean_text(str(value or "")).strip()[:limit]


def _lyrics_pair(plain: str, synced: list[SyncedLine]) -> tuple[str, list[SyncedLine]]:
    """Plain lyrics written as LRC also give the synced lines, and a plain text without stamps."""
    if not synced and plain:
        synced = parse_lrc(plain)
        if synced:
            plain = _plain_from_synced(synced)
    if synced and not plain:
        plain = _plain_from_synced(synced)
    return plain.strip(), synced


def _from_id3(tags: ID3) -> Tags:
    def text(frame_id: str) -> str:
        frame = tags.get(frame_id)
        return _text(frame.text) if frame is not None and frame.text else ""

    genres: list[str] = []
    if tcon := tags.get("TCON"):
        genres = _split_genres(tcon.genres)
    plain = ""
    for frame in tags.getall("USLT"):
        plain = str(frame.text or "")
        if plain.strip():
            break
    synced: list[SyncedLine] = []
    for frame in tags.getall("SYLT"):
        if frame.format == _SYLT_MILLISECONDS and frame.text:
            synced = [
                SyncedLine(time=ms / 1000, text=str(words).strip()) for words, ms in frame.text
            ]
            break
    plain, synced = _lyrics_pair(plain, synced)
    return Tags(
        title=text("TIT2"),
        artist=text("TPE1")[:200],
        album=text("TALB")[:200],
        album_artist=text("TPE2")[:200],
        track_number=_number(text("TRCK")),
        year=_number(text("TDRC") or text("TYER")),
        genres=genres,
        lyrics=plain,
        lyrics_synced=synced,
    )


def _from_mp4(tags: MP4Tags) -> Tags:
    def text(atom: str) -> str:
        return _text(tags.get(atom))

    track_number = None
    if trkn := tags.get("trkn"):
        track_number = _number(str(trkn[0][0])) if trkn[0] else None
    lyrics = tags.get("\xa9lyr")
    plain, synced = _lyrics_pair(str(lyrics[0]) if lyrics else "", [])
    return Tags(
        title=text("\xa9nam"),
        artist=text("\xa9ART")[:200],
        album=text("\xa9alb")[:200],
        album_artist=text("aART")[:200],
        track_number=track_number,
        year=_number(text("\xa9day")),
        genres=_split_genres(list(tags.get("\xa9gen", []))),
        lyrics=plain,
        lyrics_synced=synced,
    )


def _from_vorbis(tags) -> Tags:
    def values(*names: str) -> list[str]:
        for name in names:
            if found := tags.get(name):
                return [str(v) for v in found]
        return []

    def text(*names: str) -> str:
        return _text(values(*names))

    synced = parse_lrc("\n".join(values("syncedlyrics", "lyrics_synced")))
    plain = "\n".join(values("lyrics", "unsyncedlyrics", "unsynced lyrics"))
    plain, synced = _lyrics_pair(plain, synced)
    return Tags(
        title=text("title"),
        artist=text("artist")[:200],
        album=text("album")[:200],
        album_artist=text("albumartist", "album artist")[:200],
        track_number=_number(text("tracknumber", "track")),
        year=_number(text("date", "year", "originaldate")),
        genres=_split_genres(values("genre")),
        lyrics=plain,
        lyrics_synced=synced,
    )


def read_tags(path: Path) -> Tags:
    """The file's tags; empty Tags when it has none or mutagen cannot read them."""
    try:
        audio = mutagen.File(path)
    except (mutagen.MutagenError, OSError, ValueError, IndexError) as exc:
        logger.warning("Unreadable tags in %s: %s", path.name, exc)
        return Tags()
    tags = getattr(audio, "tags", None)
    if tags is None:
        return Tags()
    if isinstance(tags, ID3):
        return _from_id3(tags)
    if isinstance(tags, MP4Tags):
        return _from_mp4(tags)
    if hasattr(tags, "get") and hasattr(tags, "keys"):
        return _from_vorbis(tags)
    return Tags()
