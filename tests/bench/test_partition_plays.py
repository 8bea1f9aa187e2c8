"""The rehearsal of partitioning plays by month copies every row, answers the hot queries
alike, notices a copy that differs, and the swapped table serves the application."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from bench.partition_plays import check_copy, create_partitioned_copy, swap
from core.library.models import Play
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    """Plays of two listeners over five calendar months, a few counted."""
    listeners = [factories.UserFactory() for _ in range(2)]
    tracks = [factories.TrackFactory() for _ in range(3)]
    start = datetime(2026, 1, 30, 23, 30, tzinfo=UTC)
    for n in range(40):
        Play.objects.create(
            user=listeners[n % 2],
            track=tracks[n % 3],
            started_at=start + timedelta(days=3.5 * n),
            played_seconds=n,
            counted=n % 4 == 0,
        )
    return listeners, tracks


def test_the_partitioned_copy_holds_every_play_in_its_month(history):
    with connection.cursor() as cursor:
        report = create_partitioned_copy(cursor)
        mismatches = check_copy(cursor, samples=10)
        cursor.execute("SELECT count(*) FROM core_play_by_month_2026_03")
        march = cursor.fetchone()[0]

    assert report.rows == 40
    # January to June 2026, three months ahead, and the default partition.
    assert report.partitions == 6 + 3 + 1
    assert mismatches == []
    assert march == Play.objects.filter(started_at__month=3).count()


def test_a_copy_that_lost_a_row_is_reported(history):
    with connection.cursor() as cursor:
        create_partitioned_copy(cursor)
        cursor.execute("DELETE FROM core_play_by_month WHERE id = %s", [Play.objects.first().pk])

        assert "rows per month" in check_copy(cursor)


def test_after_the_swap_the_application_reads_and_writes_the_partitioned_table(history):
    listener, tracks = history[0][0], history[1]
    latest = list(Play.objects.filter(user=listener).values_list("pk", flat=True)[:5])
    with connection.cursor() as cursor:
        create_partitioned_copy(cursor)
        swap(cursor)
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'core_play'")
        kind = cursor.fetchone()[0]

    added = Play.objects.create(user=listener, track=tracks[0], started_at=datetime.now(UTC))

    assert kind == "p"  # partitioned
    assert list(Play.objects.filter(user=listener).values_list("pk", flat=True)[1:6]) == latest
    assert Play.objects.filter(user=listener).first() == added
    assert Play.objects.count() == 41
