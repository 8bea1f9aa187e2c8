"""The artist index of getArtists and getIndexes: every artist with a playable track (10^5 at
the large bench scale), by letter, in name order with an ignored article left out.

On PostgreSQL each process keeps the index: the artists in order and, per answer form (method
and JSON or XML) asked for, each artist's element written once without a caller's star. A call
reads the artists changed since the last one from the change log the database writes (migration
0046), re-reads only those, and joins the written elements, writing afresh only the caller's
starred artists. A fresh process, or one whose position in the log was pruned or that saw a
table emptied, reads every artist once. SQLite keeps no log: there the index is built per call.
docs/subsonic.md ("Performance").
"""

import re
import threading
from array import array
from bisect import bisect_left, insort
from collections.abc import Callable, Collection
from datetime import datetime
from functools import cache
from typing import NamedTuple

from django.db import connection
from django.db.models import Max
from django.http import HttpResponse

from core.catalog.models import Track
from core.subsonic import payloads, queries
from core.subsonic.envelope import (
    HOLE,
    SEPARATORS,
    around_hole,
    item_text,
    render,
    written_as,
)

IGNORED_ARTICLES = ("The", "El", "La", "Los", "Las", "Le", "Les")

# An ignored article and the space after it, at the start of a name.
_ARTICLE = re.compile("(?:{}) ".format("|".join(IGNORED_ARTICLES)), re.IGNORECASE)

# Per method: the answer's element and an artist's element from its values and a star.
ELEMENTS = {"getArtists": "artists", "getIndexes": "indexes"}
_ARTIST: dict[str, Callable[..., dict]] = {
    "getArtists": payloads.artist_of_row,
    "getIndexes": payloads.artist_dir_of_row,
}

# Changed artists applied one by one at most (or a twentieth of the index); past it every
# artist is read again.
APPLIED_AT_MOST = 1000

# (method, "json" or "xml"): what an artist's element is written for.
Form = tuple[str, str]


def sort_name(name: str) -> str:
    article = _ARTICLE.match(name)
    return name[article.end() :] if article else name


def index_letter(sort_name: str) -> str:
    first = sort_name[:1].upper()
    return first if first.isalpha() else "#"


class Entry(NamedTuple):
    """An artist of the index."""

    pk: int
    name: str
    album_count: int
    letter: str

    @classmethod
    def of(cls, row: tuple[int, str, int]) -> "Entry":
        pk, name, album_count = row
        return cls(pk, name, album_count, index_letter(sort_name(name)))

    def order(self) -> tuple[str, int]:
        """Where it stands in the index: by its sort name case-folded, then by id (two names
        may fold alike). Made when needed, not kept: it would hold a second name per artist."""
        return sort_name(self.name).casefold(), self.pk

    def element(self, method: str, starred: datetime | None = None) -> dict:
        return _ARTIST[method](self.pk, self.name, self.album_count, starred)

    def text(self, form: Form, starred: datetime | None = None) -> bytes:
        method, kind = form
        return item_text(kind, "artist", self.element(method, starred)).encode()


def _last_modified_ms() -> int:
    latest = Track.objects.playable().aggregate(latest=Max("updated_at"))["latest"]
    return int(latest.timestamp() * 1000) if latest else 0


def _payload(method: str, index: list) -> dict:
    return {
        ELEMENTS[method]: {
            "ignoredArticles": " ".join(IGNORED_ARTICLES),
            "lastModified": _last_modified_ms(),
            "index": index,
        }
    }


def built(method: str, starred: dict[int, datetime]) -> dict:
    """The payload of `method` built whole from every artist read afresh, with the caller's
    `starred` artists (by id): where nothing is kept (SQLite); the kept index's answers are
    these bytes."""
    groups: dict[str, list[dict]] = {}
    for entry in sorted(map(Entry.of, queries.artist_index_rows()), key=Entry.order):
        groups.setdefault(entry.letter, []).append(entry.element(method, starred.get(entry.pk)))
    index = [{"name": letter, "artist": groups[letter]} for letter in sorted(groups)]
    return _payload(method, index)


@cache
def _letter_frame(kind: str, letter: str) -> tuple[bytes, bytes]:
    """What a letter's <index> element holds before and after its artists."""
    text = item_text(kind, "index", {"name": letter, "artist": [HOLE]})
    head, tail = around_hole(text, kind, "artist")
    return head.encode(), tail.encode()


class _Written:
    """A letter's artists' elements in one form, joined as the answer holds them, and the
    length of each: one copy of the text (an element is found by position, the lengths before
    it summed), not one object per artist besides."""

    __slots__ = ("data", "lengths", "separator")

    def __init__(self, texts: list[bytes], separator: bytes):
        self.separator = separator
        self.data = separator.join(texts)
        self.lengths = array("I", map(len, texts))

    def _span(self, at: int) -> tuple[int, int]:
        start = sum(self.lengths[:at]) + at * len(self.separator)
        return start, start + self.lengths[at]

    def insert(self, at: int, text: bytes) -> None:
        if at < len(self.lengths):
            start, _ = self._span(at)
            view = memoryview(self.data)
            self.data = b"".join([view[:start], text, self.separator, view[start:]])
        else:
            self.data = self.separator.join([self.data, text]) if self.lengths else text
        self.lengths.insert(at, len(text))

    def remove(self, at: int) -> None:
        start, end = self._span(at)
        if at + 1 < len(self.lengths):
            end += len(self.separator)
        elif at:
            start -= len(self.separator)
        view = memoryview(self.data)
        self.data = b"".join([view[:start], view[end:]])
        del self.lengths[at]

    def pieces(self, stars: dict[int, bytes]) -> list:
        """The joined elements, those at the positions of `stars` replaced, as pieces."""
        if not stars:
            return [self.data]
        view, pieces, done = memoryview(self.data), [], 0
        for at in sorted(stars):
            start, end = self._span(at)
            pieces += [view[done:start], stars[at]]
            done = end
        pieces.append(view[done:])
        return pieces


class _Letter:
    """A letter's artists in order and, per form written, their elements."""

    __slots__ = ("entries", "written")

    def __init__(self, forms: Collection[Form] = ()):
        self.entries: list[Entry] = []
        self.written = {form: _Written([], SEPARATORS[form[1]].encode()) for form in forms}


class KeptIndex:
    """The artist index kept by one process, brought up to date from the change log before
    each answer. `lock` guards it: gunicorn's threads share it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.forget()

    def forget(self) -> None:
        """Drop everything: the next answer reads every artist."""
        # The log's horizon at the last read (None: never read), and the rows read at or past
        # it, already applied: they are read again until the horizon passes them.
        self.horizon: int | None = None
        self.applied: set[int] = set()
        self.entries: dict[int, Entry] = {}
        self.letters: dict[str, _Letter] = {}
        self.order: list[str] = []
        self.forms: set[Form] = set()

    def refresh(self) -> None:
        """Apply what the log holds past the last read: the changed artists, re-read; every
        artist after a row without one (a table emptied, the log pruned past this reader) or
        when so many changed that reading them all costs less."""
        changes = queries.artist_index_changes(self.horizon)
        fresh = [row for row in changes.rows if row.id not in self.applied]
        changed = {row.artist_id for row in fresh}
        if self.horizon is None or None in changed or len(changed) > self._most_applied():
            self._build(queries.artist_index_rows())
        elif changed:
            self._apply(changed)
        self.horizon = changes.horizon
        self.applied = {row.id for row in changes.rows if row.xid >= changes.horizon}

    def _most_applied(self) -> int:
        # Each changed artist costs about 0.2 ms per form written at 10^5 artists (its letter's
        # text spliced); reading every artist about 1 s (docs/benchmarks.md).
        return max(APPLIED_AT_MOST, len(self.entries) // 20)

    def _build(self, rows: list[tuple[int, str, int]]) -> None:
        letters: dict[str, _Letter] = {}
        for entry in sorted(map(Entry.of, rows), key=Entry.order):
            letter = letters.get(entry.letter)
            if letter is None:
                letter = letters[entry.letter] = _Letter()
            letter.entries.append(entry)
        self.entries = {e.pk: e for letter in letters.values() for e in letter.entries}
        self.letters = letters
        self.order = sorted(letters)
        self.forms = set()

    def _apply(self, pks: set[int]) -> None:
        rows = {row[0]: row for row in queries.artist_index_rows(pks)}
        for pk in pks:
            self._remove(pk)
            if pk in rows:
                self._insert(Entry.of(rows[pk]))

    def _remove(self, pk: int) -> None:
        entry = self.entries.pop(pk, None)
        if entry is None:
            return
        letter = self.letters[entry.letter]
        at = bisect_left(letter.entries, entry.order(), key=Entry.order)
        del letter.entries[at]
        for written in letter.written.values():
            written.remove(at)
        if not letter.entries:
            del self.letters[entry.letter]
            self.order.remove(entry.letter)

    def _insert(self, entry: Entry) -> None:
        letter = self.letters.get(entry.letter)
        if letter is None:
            letter = self.letters[entry.letter] = _Letter(self.forms)
            insort(self.order, entry.letter)
        at = bisect_left(letter.entries, entry.order(), key=Entry.order)
        letter.entries.insert(at, entry)
        for form, written in letter.written.items():
            written.insert(at, entry.text(form))
        self.entries[entry.pk] = entry

    def _written(self, form: Form) -> None:
        """Each artist's element in `form`, written once (per form asked for)."""
        if form in self.forms:
            return
        separator = SEPARATORS[form[1]].encode()
        for letter in self.letters.values():
            letter.written[form] = _Written([e.text(form) for e in letter.entries], separator)
        self.forms.add(form)

    def pieces(self, form: Form, starred: dict[int, datetime]) -> list:
        """The index's letters in `form`, the caller's `starred` artists written afresh, as
        pieces to join (one copy of the whole answer, made by the caller)."""
        self._written(form)
        stars: dict[str, dict[int, bytes]] = {}
        for pk, at in starred.items():
            entry = self.entries.get(pk)
            if entry is not None:
                entries = self.letters[entry.letter].entries
                position = bisect_left(entries, entry.order(), key=Entry.order)
                stars.setdefault(entry.letter, {})[position] = entry.text(form, at)
        separator = SEPARATORS[form[1]].encode()
        pieces = []
        for name in self.order:
            head, tail = _letter_frame(form[1], name)
            written = self.letters[name].written[form]
            pieces += [separator, head, *written.pieces(stars.get(name, {})), tail]
        return pieces[1:]


KEPT = KeptIndex()


def answer(method: str, fmt: str, callback: str, starred: dict[int, datetime]) -> HttpResponse:
    """The answer of `method` (getArtists or getIndexes) in `fmt`, with the caller's `starred`
    artists: on PostgreSQL joined from the kept index, the bytes `built` renders to."""
    if connection.vendor != "postgresql":
        return render(fmt, callback, built(method, starred))
    kind = written_as(fmt)
    with KEPT.lock:
        KEPT.refresh()
        pieces = KEPT.pieces((method, kind), starred) if KEPT.entries else None
    if pieces is None:
        return render(fmt, callback, _payload(method, []))
    response = render(fmt, callback, _payload(method, [HOLE]))
    head, tail = around_hole(response.content.decode(), kind, "index")
    response.content = b"".join([head.encode(), *pieces, tail.encode()])
    return response
