"""getArtists and getIndexes on PostgreSQL answer from the index each process keeps, brought up
to date from the database's change log (core/subsonic/artist_index.py, migration 0046): the
bytes a full build renders, whatever changed, with only the changed artists read again."""

import json
import random
import re
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.catalog.models import Album, Artist, ArtistIndexChange, Track
from core.library.models import ArtistFavorite
from core.subsonic import artist_index, queries
from core.subsonic.artist_index import KEPT, _Written
from core.subsonic.envelope import render
from tests import factories

pytestmark = pytest.mark.django_db

METHODS = ("getArtists", "getIndexes")
# (f, callback): JSONP with a callback, and with one that is refused (then plain JSON).
FORMATS = (("json", ""), ("jsonp", "cb"), ("jsonp", "1nvalid"), ("xml", ""))
PREFIXES = ("", "", "The ", "the ", "Los ", "Le ", "#", "1 ", "Ä", "é", "ß", "<&> ", '"')
ACTIONS = ("new", "new", "empty", "rename", "rename", "hide", "unhide", "album", "untrack")
ACTIONS += ("delete", "star", "star", "unstar", "follow")
STEMS = ("abba", "Beatles", "cream", "Zappa", "Öl", "who", "Ünal")


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """How many times the kept index read every artist (one entry per full read)."""
    counted: list[int] = []
    build = KEPT._build

    def counting(rows):
        counted.append(len(rows))
        return build(rows)

    monkeypatch.setattr(KEPT, "_build", counting)
    return counted


def assert_answers_equal_a_full_build(starred: dict) -> None:
    for method in METHODS:
        for fmt, callback in FORMATS:
            kept = artist_index.answer(method, fmt, callback, starred)
            whole = render(fmt, callback, artist_index.built(method, starred))
            assert kept.content == whole.content, (method, fmt, callback)
            assert kept["Content-Type"] == whole["Content-Type"]


def _with_track(name: str) -> Artist:
    return factories.TrackFactory(artist=factories.ArtistFactory(name=name)).artist


class Catalog:
    """Random changes of what the index shows, as the app and bulk updates make them."""

    def __init__(self, rng: random.Random, listener):
        self.rng = rng
        self.listener = listener

    def name(self) -> str | None:
        name = self.rng.choice(PREFIXES) + self.rng.choice(STEMS)
        if self.rng.random() < 0.5:
            name += f" {self.rng.randrange(5)}"
        return None if Artist.objects.filter(name__iexact=name).exists() else name

    def artist(self) -> Artist | None:
        pks = list(Artist.objects.order_by("pk").values_list("pk", flat=True))
        return Artist.objects.get(pk=self.rng.choice(pks)) if pks else None

    def change(self) -> None:
        action = self.rng.choice(ACTIONS)
        artist = self.artist()
        if action in ("new", "empty") or artist is None:
            if (name := self.name()) is not None:
                _with_track(name) if action != "empty" else factories.ArtistFactory(name=name)
        elif action == "rename":
            if (name := self.name()) is not None:
                Artist.objects.filter(pk=artist.pk).update(name=name)
        elif action in ("hide", "unhide"):
            Track.objects.filter(artist=artist).update(is_hidden=action == "hide")
        elif action == "album":
            factories.TrackFactory(artist=artist)
        elif action == "untrack":
            Track.objects.filter(pk__in=artist.tracks.values("pk")[:1]).delete()
        elif action == "delete":
            Track.objects.filter(artist=artist).delete()
            Album.objects.filter(artist=artist).delete()
            artist.delete()
        elif action == "star":
            ArtistFavorite.objects.get_or_create(user=self.listener, artist=artist)
        elif action == "unstar":
            ArtistFavorite.objects.filter(user=self.listener, artist=artist).delete()
        else:
            Artist.objects.filter(pk=artist.pk).update(follower_count=self.rng.randrange(9))

    def starred(self) -> dict:
        return queries.starred_artists(self.listener)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_answers_equal_a_full_build_byte_for_byte_over_random_changes(alice, builds, seed):
    catalog = Catalog(random.Random(seed), alice)
    for name in ("The Beatles", "Beatles", "abba", "#1 Hits", "Élan", "Los Lobos", "Zappa"):
        _with_track(name)
    assert_answers_equal_a_full_build(catalog.starred())

    for _ in range(40):
        catalog.change()
        assert_answers_equal_a_full_build(catalog.starred())
        assert_answers_equal_a_full_build({})

    assert len(builds) == 1  # the first answer; every later change was read alone


def test_an_empty_index_answers_as_a_full_build(alice):
    assert_answers_equal_a_full_build({})
    artist = _with_track("Only")
    assert_answers_equal_a_full_build({})
    Track.objects.filter(artist=artist).update(is_hidden=True)
    assert_answers_equal_a_full_build({})


def test_a_change_reads_only_the_changed_artists(alice_sonic, library, builds):
    alice_sonic.ok("getArtists")
    beatles = library["artists"]["beatles"]
    Artist.objects.filter(pk=beatles.pk).update(name="Beatles, The")

    with CaptureQueriesContext(connection) as captured:
        index = alice_sonic.ok("getArtists")["artists"]["index"]

    assert [a["name"] for letter in index for a in letter["artist"]] == ["ABBA", "Beatles, The"]
    assert builds == [2]
    reads = [q["sql"] for q in captured if 'FROM "core_artist"' in q["sql"]]
    assert len(reads) == 1 and "IN (" in reads[0]


def _queries(sonic, **params) -> list[str]:
    """The statements of a call, numbers left out (the log's horizon moves with other
    transactions)."""
    with CaptureQueriesContext(connection) as captured:
        assert sonic.raw("getArtists", **params).status_code == 200
    return [re.sub(r"\d+", "N", q["sql"]) for q in captured]


def test_an_unchanged_index_costs_a_constant_number_of_queries(alice, alice_sonic):
    for n in range(3):
        _with_track(f"Artist {n}")
    alice_sonic.ok("getArtists")
    few = _queries(alice_sonic)

    for n in range(3, 40):
        ArtistFavorite.objects.create(user=alice, artist=_with_track(f"Artist {n}"))
    alice_sonic.ok("getArtists")

    assert _queries(alice_sonic) == few
    assert _queries(alice_sonic, f="xml") == few
    # The caller's stars, the log past the last read, the playable tracks' last change.
    assert len(few) == 3


def test_changes_the_index_does_not_show_are_not_logged(library):
    beatles = library["artists"]["beatles"]
    before = ArtistIndexChange.objects.count()

    Artist.objects.filter(pk=beatles.pk).update(follower_count=5, bio="Four lads.")
    factories.TrackFactory(artist=beatles, album=library["albums"]["abbey"])
    Track.objects.filter(pk=library["tracks"]["something"].pk).update(title="Something Else")

    assert ArtistIndexChange.objects.count() == before


def test_a_row_without_artist_makes_the_next_answer_read_every_artist(alice_sonic, library, builds):
    alice_sonic.ok("getIndexes")
    current = queries.artist_index_changes(None).horizon
    ArtistIndexChange.objects.create(artist_id=None, xid=current, changed_at=timezone.now())

    alice_sonic.ok("getIndexes")
    alice_sonic.ok("getIndexes")

    assert builds == [2, 2]


def test_many_changed_artists_are_read_with_every_other(alice, library, builds, monkeypatch):
    monkeypatch.setattr(artist_index, "APPLIED_AT_MOST", 2)
    assert_answers_equal_a_full_build({})
    _with_track("Cream")
    assert_answers_equal_a_full_build({})

    Artist.objects.update(name=Concat("name", Value("!")))
    assert_answers_equal_a_full_build({})

    assert builds == [2, 3]


def _next_log_id_is(number: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('core_artistindexchange', 'id'), %s)",
            [number - 1],
        )


def test_the_log_prunes_rows_older_than_an_hour_leaving_the_newest_pruned_transaction(library):
    long_ago = timezone.now() - timedelta(hours=2)
    for xid in (5, 9, 7):
        ArtistIndexChange.objects.create(artist_id=1, xid=xid, changed_at=long_ago)
    recent = ArtistIndexChange.objects.create(artist_id=2, xid=8, changed_at=timezone.now())
    _next_log_id_is(1_000_000)

    Artist.objects.filter(pk=library["artists"]["abba"].pk).update(name="ABBA!")

    left = ArtistIndexChange.objects.filter(xid__lt=10).values_list("artist_id", "xid")
    assert sorted(left, key=str) == [(2, 8), (None, 9)]
    assert recent.pk in ArtistIndexChange.objects.values_list("pk", flat=True)


def test_a_pruned_change_a_reader_may_have_missed_rebuilds_its_index(alice_sonic, library, builds):
    alice_sonic.ok("getArtists")
    own = queries.artist_index_changes(None).horizon
    ArtistIndexChange.objects.create(
        artist_id=library["artists"]["abba"].pk,
        xid=own,
        changed_at=timezone.now() - timedelta(hours=2),
    )
    _next_log_id_is(2_000_000)
    Artist.objects.filter(pk=library["artists"]["beatles"].pk).update(name="Fab Four")

    names = [
        a["name"] for e in alice_sonic.ok("getArtists")["artists"]["index"] for a in e["artist"]
    ]

    assert names == ["ABBA", "Fab Four"]
    assert builds == [2, 2]


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_after_later_ones_is_still_seen():
    early = _with_track("Early")
    written, go = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                Artist.objects.filter(pk=early.pk).update(name="Late Bloomer")
                written.set()
                go.wait(10)
        finally:
            connection.close()

    def names() -> list[str]:
        kept = artist_index.answer("getArtists", "json", "", {}).content
        assert kept == render("json", "", artist_index.built("getArtists", {})).content
        index = json.loads(kept)["subsonic-response"]["artists"]["index"]
        return [a["name"] for letter in index for a in letter["artist"]]

    KEPT.forget()
    writer = threading.Thread(target=slow_writer)
    writer.start()
    written.wait(10)
    assert names() == ["Early"]
    _with_track("Zed")  # committed while the slow writer is still open
    assert names() == ["Early", "Zed"]

    go.set()
    writer.join()
    assert names() == ["Late Bloomer", "Zed"]
    KEPT.forget()


@pytest.mark.parametrize("separator", [b",", b""])
def test_a_letters_joined_elements_follow_inserts_removes_and_stars(separator):
    rng = random.Random(7)
    texts: list[bytes] = []
    written = _Written([], separator)
    for step in range(400):
        if texts and rng.random() < 0.45:
            at = rng.randrange(len(texts))
            del texts[at]
            written.remove(at)
        else:
            at = rng.randrange(len(texts) + 1)
            text = f"<{step}:{'x' * rng.randrange(4)}>".encode()
            texts.insert(at, text)
            written.insert(at, text)
        stars = {at: b"*" for at in rng.sample(range(len(texts)), min(len(texts), 3))}
        starred = [stars.get(at, text) for at, text in enumerate(texts)]

        assert written.data == separator.join(texts)
        assert b"".join(written.pieces(stars)) == separator.join(starred)


@pytest.mark.django_db(transaction=True)
def test_threads_answering_while_artists_change_keep_one_consistent_index():
    artists = [_with_track(f"Artist {n}") for n in range(30)]
    KEPT.forget()
    failures: list[BaseException] = []
    done = threading.Event()

    def answering() -> None:
        try:
            while not done.is_set():
                artist_index.answer("getArtists", "xml", "", {})
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=answering) for _ in range(4)]
    for thread in threads:
        thread.start()
    for n, artist in enumerate(artists):
        Artist.objects.filter(pk=artist.pk).update(name=f"Renamed {n:02}")
    done.set()
    for thread in threads:
        thread.join()

    assert failures == []
    assert_answers_equal_a_full_build({})
    KEPT.forget()
