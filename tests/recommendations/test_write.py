"""Training's write: each run replaces every served table whole and at once, the tables keep
their indexes and constraints, requests read the previous results meanwhile without waiting,
and a track deleted while training ran is not served."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from core.catalog.models import Track
from core.recommendations import served, training
from core.recommendations.models import (
    ArtistNeighbour,
    DailyMix,
    DailyMixItem,
    ListenerCandidate,
    TrackNeighbour,
    TrainingRun,
)
from tests import factories
from tests.conftest import client_for


def _ids() -> dict[str, set[int]]:
    return {m.__name__: set(m.objects.values_list("pk", flat=True)) for m in training.SERVED}


def _schema() -> dict[str, dict]:
    with connection.cursor() as cursor:
        return {
            m._meta.db_table: connection.introspection.get_constraints(cursor, m._meta.db_table)
            for m in training.SERVED
        }


def test_training_again_replaces_every_served_row(trained):
    before = _ids()
    counts = {m.__name__: m.objects.count() for m in training.SERVED}

    training.train()

    after = _ids()
    for name, ids in after.items():
        assert ids and not ids & before[name], name
        assert len(ids) == counts[name], name
    # Ids go on from the last run's: a mix id a client holds never names another mix.
    assert min(after["DailyMix"]) > max(before["DailyMix"])


def test_a_failed_write_leaves_the_previous_results_whole(trained, monkeypatch):
    before = _ids()

    def fail(new, mixes):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(training, "_write_mixes", fail)
    with pytest.raises(RuntimeError):
        training.train()

    assert _ids() == before
    assert TrainingRun.objects.count() == 1
    assert not [t for t in connection.introspection.table_names() if t.endswith("_next")]


def test_the_served_tables_keep_their_indexes_and_constraints(trained):
    before = _schema()

    training.train()

    assert _schema() == before


def test_the_served_tables_hold_no_foreign_keys_in_the_database(db):
    for name, constraints in _schema().items():
        assert not [c for c, d in constraints.items() if d["foreign_key"]], name


def test_a_mix_title_keeps_what_copy_would_read_as_a_separator(world):
    world.rock.name = "Rock\\Roll\tLive\nSessions"
    world.rock.save()

    training.train()

    title = DailyMix.objects.get(user=world.alice).title
    assert title == "Daily mix 1: Rock\\Roll\tLive\nSessions"


def _delete_after_reading(monkeypatch, track: Track) -> None:
    """Delete `track` once training has read everything, before it writes."""
    mixes = training._mixes

    def mixes_then_delete(*args):
        made = mixes(*args)
        Track.objects.filter(pk=track.pk).delete()
        return made

    monkeypatch.setattr(training, "_mixes", mixes_then_delete)


def test_a_track_deleted_while_training_ran_is_not_served(world, monkeypatch):
    gone = world.alice_heard[0]
    _delete_after_reading(monkeypatch, gone)

    training.train()

    # The run wrote rows that name it (its neighbours, the reasons it gave, alice's mix) ...
    assert TrackNeighbour.objects.filter(neighbour_id=gone.pk).exists()
    assert ListenerCandidate.objects.filter(because_id=gone.pk).exists()
    assert DailyMixItem.objects.filter(track_id=gone.pk).exists()
    # ... and what requests read leaves it out.
    client = client_for(world.alice)
    seen = []
    for path in (
        "/api/me/recommendations/tracks/",
        f"/api/tracks/{world.alice_heard[1].pk}/similar/",
    ):
        response = client.get(path)
        assert response.status_code == 200, response.content
        seen += [item["track"]["id"] for item in response.json()]
    response = client.get("/api/me/mixes/")
    assert response.status_code == 200, response.content
    seen += [track["id"] for mix in response.json() for track in mix["tracks"]]
    assert seen and gone.pk not in seen


def test_deleting_a_track_after_training_deletes_its_rows(trained):
    track = trained.rock_tracks[3]

    Track.objects.filter(pk=track.pk).delete()

    assert not TrackNeighbour.objects.filter(track_id=track.pk).exists()
    assert not TrackNeighbour.objects.filter(neighbour_id=track.pk).exists()
    assert not ListenerCandidate.objects.filter(track_id=track.pk).exists()
    assert not ListenerCandidate.objects.filter(because_id=track.pk).exists()
    assert not DailyMixItem.objects.filter(track_id=track.pk).exists()


def test_deleting_a_listener_deletes_their_candidates_and_mixes(trained):
    alice = trained.alice
    mixes = list(DailyMix.objects.filter(user=alice).values_list("pk", flat=True))
    assert mixes and ListenerCandidate.objects.filter(user=alice).exists()

    alice.delete()

    assert not ListenerCandidate.objects.filter(user_id=alice.pk).exists()
    assert not DailyMix.objects.filter(pk__in=mixes).exists()
    assert not DailyMixItem.objects.filter(mix_id__in=mixes).exists()
    assert ArtistNeighbour.objects.exists()


def _one_neighbour() -> tuple:
    """Two tracks, and a served neighbour row from the first to the second."""
    first, second = factories.TrackFactory(), factories.TrackFactory()
    TrackNeighbour.objects.create(track=first, neighbour=second, score=1.0)
    return first, second


@contextmanager
def _swapping(first, second) -> Iterator[None]:
    """Inside: the neighbour rows being replaced by one from the second track to the first,
    loaded but not yet swapped in."""
    with served.replacing(TrackNeighbour) as new:
        columns = ("track_id", "neighbour_id", "score")
        new.copy_rows(TrackNeighbour, columns, [(second.pk, first.pk, 2.0)])
        yield


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the swap by rename is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_requests_read_the_previous_rows_unblocked_until_the_new_ones_commit():
    first, second = _one_neighbour()
    with connection.cursor() as cursor:
        # A statement planned before the swap, run after it.
        cursor.execute("PREPARE neighbours AS SELECT track_id FROM core_trackneighbour")
    loaded, release = threading.Event(), threading.Event()

    def write() -> None:
        try:
            with _swapping(first, second):
                loaded.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert loaded.wait(timeout=30)
        with connection.cursor() as cursor:
            # A read kept waiting behind the write fails instead.
            cursor.execute("SET lock_timeout = '2s'")
            during = list(TrackNeighbour.objects.values_list("track_id", flat=True))
            cursor.execute("RESET lock_timeout")
    finally:
        release.set()
        writer.join()

    assert during == [first.pk]
    assert list(TrackNeighbour.objects.values_list("track_id", flat=True)) == [second.pk]
    with connection.cursor() as cursor:
        cursor.execute("EXECUTE neighbours")
        assert cursor.fetchall() == [(second.pk,)]
        cursor.execute("DEALLOCATE neighbours")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the swap by rename is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_long_read_holds_the_swap_back_but_not_the_other_requests(monkeypatch):
    monkeypatch.setattr(served, "SWAP_WAIT", "100ms")
    first, second = _one_neighbour()
    reading, done = threading.Event(), threading.Event()

    def long_read() -> None:
        try:
            with transaction.atomic():
                TrackNeighbour.objects.count()
                reading.set()
                done.wait(timeout=30)
        finally:
            connection.close()

    def write() -> None:
        try:
            with _swapping(first, second):
                pass
        finally:
            connection.close()

    reader, writer = threading.Thread(target=long_read), threading.Thread(target=write)
    reader.start()
    try:
        assert reading.wait(timeout=30)
        writer.start()
        # Reads while the swap waits: none waits longer than a try.
        seen = set()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
            for _ in range(10):
                seen.update(TrackNeighbour.objects.values_list("track_id", flat=True))
                time.sleep(0.05)
            cursor.execute("RESET lock_timeout")
        assert writer.is_alive()
    finally:
        done.set()
        reader.join()
        writer.join()

    assert seen == {first.pk}
    assert list(TrackNeighbour.objects.values_list("track_id", flat=True)) == [second.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the swap by rename is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_prepared_read_that_waited_for_the_swap_reads_the_new_rows():
    first, second = _one_neighbour()
    with connection.cursor() as cursor:
        cursor.execute("PREPARE waiting AS SELECT track_id FROM core_trackneighbour")
    swapped, commit = threading.Event(), threading.Event()

    def write() -> None:
        try:
            with transaction.atomic():
                with _swapping(first, second):
                    pass
                swapped.set()
                commit.wait(timeout=30)
        finally:
            connection.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert swapped.wait(timeout=30)
        with connection.cursor() as cursor:
            # EXECUTE takes its snapshot, then waits for the swap's lock: its snapshot is older
            # than the commit.
            threading.Timer(0.5, commit.set).start()
            cursor.execute("EXECUTE waiting")
            read = cursor.fetchall()
            cursor.execute("DEALLOCATE waiting")
    finally:
        commit.set()
        writer.join()

    assert read == [(second.pk,)]
