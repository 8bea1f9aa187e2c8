"""Reading listening-history files: which service wrote one (from its content, not its name),
and its rows, streamed, so memory stays bounded whatever the file's size.

Each reader yields a `Row` per listen and a `Skip` per row it cannot use (with the reason);
a file it cannot read as a whole (not one of the formats, cut short, not text) raises
`UnreadableFile` with a sentence a person can act on.
"""

import codecs
import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

import ijson

from core.library.models import ListenSource

# ListenBrainz refuses listens before October 2002, or over an hour ahead of its clock (players'
# clocks drift); so do we, for every source.
MIN_TIMESTAMP = 1033410600
MAX_SKEW = timedelta(hours=1)
FIELD_MAX = 500
LINE_MAX = 1024 * 1024
PEEK_BYTES = 64 * 1024


class UnreadableFile(Exception):
    """The file as a whole cannot be read; the message is shown to the listener."""


@dataclass(frozen=True)
class Row:
    listened_at: datetime
    artist: str
    title: str
    album: str = ""
    played_ms: int | None = None
    duration_ms: int | None = None


@dataclass(frozen=True)
class Skip:
    reason: str


Item = Row | Skip


@dataclass(frozen=True)
class Format:
    name: str
    source: str


SPOTIFY_EXTENDED = Format("spotify_extended", ListenSource.SPOTIFY)
SPOTIFY_ACCOUNT = Format("spotify_account", ListenSource.SPOTIFY)
LASTFM_CSV = Format("lastfm_csv", ListenSource.LASTFM)
LASTFM_JSON = Format("lastfm_json", ListenSource.LASTFM)
LISTENBRAINZ = Format("listenbrainz", ListenSource.LISTENBRAINZ)


class _RowError(ValueError):
    """One row is unusable; its message is the reason reported."""


# --- Values ------------------------------------------------------------------------------


def _text(value, what: str, *, required: bool = True) -> str:
    if value is None or value == "":
        if required:
            raise _RowError(f"missing {what}")
        return ""
    if not isinstance(value, str):
        raise _RowError(f"{what} is not text")
    value = " ".join(value.split())
    if required and not value:
        raise _RowError(f"missing {what}")
    if len(value) > FIELD_MAX:
        raise _RowError(f"{what} longer than {FIELD_MAX} characters")
    return value


def _milliseconds(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _RowError(f"{what} is not a number of milliseconds")
    if value > 2**31 - 1:
        raise _RowError(f"{what} is out of range")
    return int(value)


def _checked_time(at: datetime) -> datetime:
    if at.timestamp() < MIN_TIMESTAMP:
        raise _RowError("time before 2002-10-01")
    if at > datetime.now(UTC) + MAX_SKEW:
        raise _RowError("time in the future")
    return at


def _unix(value) -> datetime:
    try:
        seconds = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        seconds = None
    if seconds is None or not 0 <= seconds < 2**33:
        raise _RowError("time is not a Unix timestamp")
    return _checked_time(datetime.fromtimestamp(seconds, UTC))


def _parsed_time(value: str, *patterns: str) -> datetime:
    if not isinstance(value, str):
        raise _RowError("time is not text")
    for pattern in patterns:
        try:
            return _checked_time(datetime.strptime(value.strip(), pattern).replace(tzinfo=UTC))
        except ValueError:
            continue
    raise _RowError("unreadable time")


def _iso_time(value) -> datetime:
    if not isinstance(value, str):
        raise _RowError("time is not text")
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _RowError("unreadable time") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return _checked_time(at.astimezone(UTC))


def _rows(records: Iterator, read) -> Iterator[Item]:
    """Each record read into a Row, or a Skip with the reason it could not be."""
    for record in records:
        if not isinstance(record, dict):
            yield Skip("not an object")
            continue
        try:
            item = read(record)
        except _RowError as exc:
            item = Skip(str(exc))
        if item is not None:
            yield item


# --- Spotify -----------------------------------------------------------------------------


def _spotify_extended(record: dict) -> Item:
    # Only these fields are read: IP addresses, countries, platforms and the like are not.
    if record.get("episode_name") or record.get("spotify_episode_uri"):
        return Skip("podcast episode")
    if record.get("audiobook_title") or record.get("audiobook_uri"):
        return Skip("audiobook")
    played = _milliseconds(record.get("ms_played"), "ms_played")
    end = _iso_time(record.get("ts"))
    return Row(
        listened_at=_checked_time(end - timedelta(milliseconds=played)),
        artist=_text(record.get("master_metadata_album_artist_name"), "artist"),
        title=_text(record.get("master_metadata_track_name"), "track name"),
        album=_text(record.get("master_metadata_album_album_name"), "album", required=False),
        played_ms=played,
    )


def _spotify_account(record: dict) -> Item:
    if "podcastName" in record or "episodeName" in record:
        return Skip("podcast episode")
    played = _milliseconds(record.get("msPlayed"), "msPlayed")
    end = _parsed_time(record.get("endTime"), "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
    return Row(
        listened_at=_checked_time(end - timedelta(milliseconds=played)),
        artist=_text(record.get("artistName"), "artist"),
        title=_text(record.get("trackName"), "track name"),
        played_ms=played,
    )


# --- Last.fm -----------------------------------------------------------------------------


def _named(value, what: str, *, required: bool = True) -> str:
    """Last.fm writes names as {"#text": ...} (or {"name": ...} in extended pages)."""
    if isinstance(value, dict):
        value = value.get("#text", value.get("name"))
    return _text(value, what, required=required)


def _lastfm_track(record: dict) -> Item | None:
    if str((record.get("@attr") or {}).get("nowplaying", "")).lower() == "true":
        return None  # what is playing now is not a listen yet
    date = record.get("date")
    if isinstance(date, dict) and date.get("uts") not in (None, ""):
        at = _unix(date["uts"])
    elif isinstance(date, dict):
        at = _parsed_time(date.get("#text"), "%d %b %Y, %H:%M")
    else:
        raise _RowError("missing time")
    return Row(
        listened_at=at,
        artist=_named(record.get("artist"), "artist"),
        title=_text(record.get("name"), "track name"),
        album=_named(record.get("album"), "album", required=False),
    )


_CSV_DATE_PATTERNS = ("%d %b %Y %H:%M", "%d %b %Y, %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def _csv_time(value: str) -> datetime:
    value = (value or "").strip()
    if value.isdigit():
        return _unix(value)
    return _parsed_time(value, *_CSV_DATE_PATTERNS)


_CSV_COLUMNS = {
    "artist": ("artist", "artist_name", "artist name"),
    "album": ("album", "album_name", "album name", "release_name"),
    "title": ("track", "title", "track_name", "track name", "name"),
    "time": ("uts", "date", "utc_time", "timestamp", "time", "listened_at"),
}


def _csv_header(cells: list[str]) -> dict[str, int] | None:
    """Column positions when the first line is a header; None for the header-less
    artist,album,track,date of the common exporters."""
    folded = [cell.strip().lower() for cell in cells]
    found = {}
    for field, names in _CSV_COLUMNS.items():
        found[field] = next((folded.index(n) for n in names if n in folded), None)
    if found["artist"] is None or found["title"] is None or found["time"] is None:
        return None
    return found


def _lastfm_csv(stream: BinaryIO) -> Iterator[Item]:
    text = codecs.getreader("utf-8-sig")(stream, errors="strict")
    oversized: list[_RowError] = []

    def lines() -> Iterator[str]:
        for line in _bounded_lines(text):
            if isinstance(line, _Oversized):
                oversized.append(line.error)
                yield "\n"
            else:
                yield line

    reader = csv.reader(lines(), strict=True)
    columns = {"artist": 0, "album": 1, "title": 2, "time": 3}
    first = True
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            cells = None
            yield Skip("malformed CSV line")
        while oversized:
            yield Skip(str(oversized.pop()))
        if not cells or cells == [""]:
            continue
        if first:
            first = False
            header = _csv_header(cells)
            if header is not None:
                columns = header
                continue
        try:
            yield Row(
                listened_at=_csv_time(_cell(cells, columns["time"])),
                artist=_text(_cell(cells, columns["artist"]), "artist"),
                title=_text(_cell(cells, columns["title"]), "track name"),
                album=_text(_cell(cells, columns["album"]), "album", required=False),
            )
        except _RowError as exc:
            yield Skip(str(exc))


def _cell(cells: list[str], index: int | None) -> str:
    if index is None:
        return ""
    if index >= len(cells):
        raise _RowError("too few columns")
    return cells[index]


def _bounded_lines(text) -> Iterator[str]:
    """Lines of `text`, a line longer than LINE_MAX read past (never held) and reported."""
    while True:
        try:
            line = text.readline(LINE_MAX)
        except UnicodeDecodeError:
            raise UnreadableFile("The file is not UTF-8 text.") from None
        if not line:
            return
        if len(line) >= LINE_MAX and not line.endswith("\n"):
            while True:
                rest = text.readline(LINE_MAX)
                if not rest or rest.endswith("\n"):
                    break
            yield _Oversized(_RowError(f"row longer than {LINE_MAX} characters"))
            continue
        yield line


class _Oversized(str):
    """A placeholder line standing for one that was too long to read."""

    def __new__(cls, error: _RowError):
        line = super().__new__(cls, "")
        line.error = error
        return line


# --- ListenBrainz ------------------------------------------------------------------------


def _listenbrainz(record: dict) -> Item:
    metadata = record.get("track_metadata")
    if not isinstance(metadata, dict):
        raise _RowError("missing track_metadata")
    info = metadata.get("additional_info") or {}
    if not isinstance(info, dict):
        raise _RowError("additional_info is not an object")
    duration = info.get("duration_ms")
    if duration is None and info.get("duration") is not None:
        duration = _milliseconds(info["duration"], "duration") * 1000
    return Row(
        listened_at=_unix(record.get("listened_at")),
        artist=_text(metadata.get("artist_name"), "artist_name"),
        title=_text(metadata.get("track_name"), "track_name"),
        album=_text(metadata.get("release_name"), "release_name", required=False),
        duration_ms=None if duration is None else _milliseconds(duration, "duration_ms"),
    )


def listenbrainz_row(record: dict) -> Item:
    """One listen of ListenBrainz's JSON (a payload entry or an export line)."""
    try:
        return _listenbrainz(record)
    except _RowError as exc:
        return Skip(str(exc))


def _json_lines(stream: BinaryIO) -> Iterator[Item]:
    text = codecs.getreader("utf-8-sig")(stream, errors="strict")
    for line in _bounded_lines(text):
        if isinstance(line, _Oversized):
            yield Skip(str(line.error))
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            yield Skip("malformed JSON line")
            continue
        yield from _rows(iter([record]), _listenbrainz)


# --- Detection ---------------------------------------------------------------------------

_KEY = re.compile(rb'"([A-Za-z_@#]+)"\s*:')

# (keys that must all appear in the first record, format, ijson prefix of the records)
_JSON_SIGNATURES: tuple[tuple[frozenset[bytes], Format, str], ...] = (
    (frozenset({b"ts", b"ms_played"}), SPOTIFY_EXTENDED, "item"),
    (frozenset({b"endTime", b"msPlayed"}), SPOTIFY_ACCOUNT, "item"),
    (frozenset({b"listened_at", b"track_metadata"}), LISTENBRAINZ, "item"),
    (frozenset({b"recenttracks"}), LASTFM_JSON, "item.recenttracks.track.item"),
)
_READERS = {
    SPOTIFY_EXTENDED: _spotify_extended,
    SPOTIFY_ACCOUNT: _spotify_account,
    LISTENBRAINZ: _listenbrainz,
    LASTFM_JSON: _lastfm_track,
}


def _peek(stream: BinaryIO) -> bytes:
    head = stream.read(PEEK_BYTES)
    stream.seek(0)
    return head.removeprefix(codecs.BOM_UTF8).lstrip()


def detect(stream: BinaryIO) -> tuple[Format, str | None] | None:
    """The format of a seekable file from its first bytes: (format, ijson prefix of its
    records, None for line-based formats), or None when it is none of them."""
    head = _peek(stream)
    if not head:
        raise UnreadableFile("The file is empty.")
    keys = set(_KEY.findall(head[:PEEK_BYTES]))
    if head[:1] == b"[":
        for needed, fmt, prefix in _JSON_SIGNATURES:
            if needed <= keys:
                return fmt, prefix
        if head[1:].lstrip()[:1] == b"]":
            return LISTENBRAINZ, "item"  # an empty array: nothing to import, nothing wrong
        return None
    if head[:1] == b"{":
        if b"recenttracks" in keys:
            return LASTFM_JSON, "recenttracks.track.item"
        if {b"listened_at", b"track_metadata"} <= keys:
            return LISTENBRAINZ, None
        return None
    first_line = head.split(b"\n", 1)[0]
    if first_line.count(b",") >= 3:
        return LASTFM_CSV, None
    return None


_COUNTED = Skip("counted only")


def _counted(record: dict) -> Item:
    return _COUNTED


def _lastfm_counted(record: dict) -> Item | None:
    playing = str((record.get("@attr") or {}).get("nowplaying", "")).lower() == "true"
    return None if playing else _COUNTED


# Readers that only tell whether a record is a row (every record is, but Last.fm's playing now).
_COUNTERS = {fmt: _counted for fmt in _READERS} | {LASTFM_JSON: _lastfm_counted}


def _records(
    stream: BinaryIO, fmt: Format, prefix: str | None, *, count_only: bool = False
) -> Iterator[Item]:
    if fmt is LASTFM_CSV:
        return _lastfm_csv(stream)
    if prefix is None:
        return _json_lines(stream)
    readers = _COUNTERS if count_only else _READERS
    return _rows(ijson.items(stream, prefix, use_float=True), readers[fmt])


def read_file(stream: BinaryIO, *, count_only: bool = False) -> Iterator[tuple[Format, Item]]:
    """Every row of a history file or of each history file in a zip, in file order.
    `count_only`: as many items, in a JSON file not read into rows (a first pass that checks
    the file whole and counts its rows, at half the cost).

    Raises UnreadableFile for a file that is none of the formats, or is cut short."""
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(b"PK\x03\x04"):
        yield from _read_zip(stream, count_only=count_only)
        return
    found = detect(stream)
    if found is None:
        raise UnreadableFile(
            "The file is not a listening history Tonearm can read (Spotify, Last.fm or "
            "ListenBrainz)."
        )
    yield from _guarded(found[0], _records(stream, *found, count_only=count_only))


def _guarded(fmt: Format, items: Iterator[Item]) -> Iterator[tuple[Format, Item]]:
    try:
        for item in items:
            yield fmt, item
    except ijson.IncompleteJSONError:
        raise UnreadableFile("The file is cut short or is not valid JSON.") from None
    except UnicodeDecodeError:
        raise UnreadableFile("The file is not UTF-8 text.") from None


def _read_zip(stream: BinaryIO, *, count_only: bool) -> Iterator[tuple[Format, Item]]:
    try:
        archive = zipfile.ZipFile(stream)
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile("The zip file is damaged.") from None
    found_any = False
    for member in sorted(members, key=lambda m: m.filename):
        try:
            with archive.open(member) as raw:
                # Members are streamed; ijson and the text readers want a seekable start only
                # for detection, so the first bytes are buffered once.
                buffered = _Rewindable(raw)
                found = detect(buffered) if member.file_size else None
                if found is None:
                    continue
                found_any = True
                buffered.commit()
                yield from _guarded(found[0], _records(buffered, *found, count_only=count_only))
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
            raise UnreadableFile("The zip file is damaged.") from None
    if not found_any:
        raise UnreadableFile("The zip holds no listening history Tonearm can read.")


class _Rewindable(io.RawIOBase):
    """A zip member that can go back to its start while its first PEEK_BYTES are read."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self._head = b""
        self._pos = 0
        self._committed = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return not self._committed

    def seek(self, offset: int, whence: int = 0) -> int:
        if self._committed or offset != 0 or whence != 0:
            raise io.UnsupportedOperation("seek")
        self._pos = 0
        return 0

    def commit(self) -> None:
        """From now on, read straight through: no more rewinding."""
        self._committed = True

    def readinto(self, buffer) -> int:
        if self._pos < len(self._head):
            chunk = self._head[self._pos : self._pos + len(buffer)]
        elif self._committed:
            chunk = self._raw.read(len(buffer))
        else:
            chunk = self._raw.read(len(buffer))
            self._head += chunk
        self._pos += len(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return super().read()
        buffer = bytearray(size)
        n = self.readinto(buffer)
        return bytes(buffer[:n])
