"""The rollups follow counted listens exactly once, and the rebuild recomputes the same."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from core.catalog.models import Track
from core.insights import rebuild as rebuild_module
from core.insights.models import (
    ListenedTrack,
    ListenedTrackGenre,
    ListenerGenreSpan,
    ListenerMonth,
    ListenerQuarterHour,
    ListenerTrack,
)
from core.insights.services import insights_record_listen
from core.library import services as library_services
from core.library.models import Play
from core.management.commands import rebuild_insights as rebuild_command
from tests.insights.conftest import listen, utc


def rebuild() -> str:
    out = StringIO()
    call_command("rebuild_insights", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every rollup row and counter, comparable across a rebuild."""
    return {
        "quarters": sorted(
            ListenerQuarterHour.objects.values_list(
                "user_id",
                "bucket",
                "track_id",
                "artist_id",
                "album_id",
                "listens",
                "ms",
                "first_at",
            )
        ),
        "tracks": sorted(
            ListenerTrack.objects.values_list(
                "user_id", "track_id", "artist_id", "album_id", "listens", "ms", "first_at"
            )
        ),
        "months": sorted(
            ListenerMonth.objects.values_list(
                "user_id",
                "month",
                "track_id",
                "artist_id",
                "album_id",
                "listens",
                "ms",
                "first_at",
            )
        ),
        "genre_spans": sorted(
            ListenerGenreSpan.objects.values_list(
                "user_id", "span", "start", "genre_id", "listens", "ms", "first_at"
            )
        ),
        "listened": sorted(
            ListenedTrack.objects.values_list(
                "track_id", "title", "artist_id", "album_id", "listens", "listeners"
            )
        ),
        "genres": sorted(ListenedTrackGenre.objects.values_list("track_id", "genre_id")),
        "listen_counts": sorted(Track.objects.values_list("pk", "listen_count")),
        "plays": sorted(Play.objects.values_list("pk", "rolled_up_ms")),
    }


def test_a_counted_listen_enters_its_quarter_hour_once(alice, catalog):
    play = listen(alice, catalog[0], utc(2026, 3, 1, 10, 44, 59), seconds=150.25)

    row = ListenerQuarterHour.objects.get()
    assert (row.user_id, row.track_id, row.listens, row.ms) == (alice.pk, catalog[0].pk, 1, 150250)
    assert row.bucket == utc(2026, 3, 1, 10, 30)
    assert row.first_at == play.started_at
    insights_record_listen(play=play)
    insights_record_listen(play=Play.objects.get(pk=play.pk))
    assert ListenerQuarterHour.objects.get().listens == 1
    assert Track.objects.get(pk=catalog[0].pk).listen_count == 1


def test_further_progress_adds_played_time_but_no_listen(alice, catalog):
    play = listen(alice, catalog[0], utc(2026, 3, 1, 10, 0), seconds=120)
    library_services.play_report_progress(user=alice, play_id=play.pk, played_seconds=180.5)
    library_services.play_report_progress(user=alice, play_id=play.pk, played_seconds=100)

    row = ListenerTrack.objects.get()
    assert (row.listens, row.ms) == (1, 180500)
    assert ListenedTrack.objects.get().listens == 1


def test_uncounted_plays_never_enter_the_rollups(alice, catalog):
    listen(alice, catalog[0], utc(2026, 3, 1, 10, 0), seconds=99.9)
    short = Track.objects.filter(pk=catalog[1].pk)
    short.update(duration=20.0)
    listen(alice, short.get(), utc(2026, 3, 1, 11, 0), seconds=20.0)

    assert not ListenerQuarterHour.objects.exists()
    assert not ListenerTrack.objects.exists()
    assert Track.objects.filter(listen_count__gt=0).count() == 0


def test_listeners_count_each_listener_once_per_track(alice, bob, catalog):
    for day in range(3):
        listen(alice, catalog[0], utc(2026, 3, 1 + day, 9, 0))
    listen(bob, catalog[0], utc(2026, 3, 1, 9, 5))

    listened = ListenedTrack.objects.get(pk=catalog[0].pk)
    assert (listened.listens, listened.listeners) == (4, 2)


@pytest.mark.parametrize("in_sql", [True, False], ids=["set-based", "row-by-row"])
def test_the_rebuild_equals_the_incremental_rollups(alice, bob, catalog, in_sql, monkeypatch):
    real = rebuild_module.rebuild_insights
    monkeypatch.setattr(rebuild_command, "rebuild_insights", lambda **kw: real(**kw, in_sql=in_sql))
    start = utc(2026, 1, 1, 23, 50)
    for n in range(40):
        user = alice if n % 3 else bob
        play = listen(user, catalog[n % 5], start + timedelta(minutes=7 * n), seconds=100 + n / 3)
        if n % 4 == 0:
            library_services.play_report_progress(
                user=user, play_id=play.pk, played_seconds=150 + n / 7
            )
    listen(alice, catalog[1], start, seconds=10)  # not counted
    incremental = snapshot()

    assert "Rebuilt insights: 40 listens of 5 tracks by 2 listeners." in rebuild()

    assert snapshot() == incremental


def test_the_rebuild_repairs_rollups_that_drifted(alice, catalog):
    listen(alice, catalog[0], utc(2026, 1, 1, 10, 0))
    expected = snapshot()
    ListenerQuarterHour.objects.update(listens=7, ms=1)
    Track.objects.update(listen_count=99)

    rebuild()

    assert snapshot() == expected


def test_listens_of_a_deleted_track_survive_it_and_the_rebuild(alice, catalog):
    listen(alice, catalog[4], utc(2026, 1, 1, 10, 0))
    Track.objects.filter(pk=catalog[4].pk).delete()
    before = ListenerQuarterHour.objects.get()

    rebuild()

    after = ListenerQuarterHour.objects.get()
    assert (after.track_id, after.listens, after.ms) == (before.track_id, 1, 200000)
    assert ListenedTrack.objects.get(pk=catalog[4].pk).title == catalog[4].title


def test_clearing_the_history_takes_ones_listens_out_of_insights(alice, bob, catalog):
    listen(alice, catalog[0], utc(2026, 1, 1, 10, 0))
    listen(alice, catalog[0], utc(2026, 1, 2, 10, 0))
    listen(bob, catalog[0], utc(2026, 1, 1, 10, 0))

    library_services.play_history_clear(user=alice)

    assert not ListenerQuarterHour.objects.filter(user=alice).exists()
    listened = ListenedTrack.objects.get(pk=catalog[0].pk)
    assert (listened.listens, listened.listeners) == (1, 1)
    assert Track.objects.get(pk=catalog[0].pk).listen_count == 1
    expected = snapshot()
    rebuild()
    assert snapshot() == expected


def test_deleting_an_account_takes_its_listens_out_of_the_counters(alice, bob, catalog):
    listen(alice, catalog[0], utc(2026, 1, 1, 10, 0))
    listen(bob, catalog[0], utc(2026, 1, 1, 10, 0))

    alice.delete()

    listened = ListenedTrack.objects.get(pk=catalog[0].pk)
    assert (listened.listens, listened.listeners) == (1, 1)
    assert Track.objects.get(pk=catalog[0].pk).listen_count == 1
    expected = snapshot()
    rebuild()
    assert snapshot() == expected


def test_deferred_rollups_wait_for_apply_listens_then_equal_the_inline_ones(
    alice, bob, catalog, settings
):
    start = utc(2026, 2, 1, 8, 0)
    settings.INSIGHTS_ROLLUPS = "inline"
    for n in range(6):
        listen(alice if n % 2 else bob, catalog[n % 3], start + timedelta(minutes=9 * n))
    inline = snapshot()
    ListenerQuarterHour.objects.all().delete()
    ListenerMonth.objects.all().delete()
    ListenerGenreSpan.objects.all().delete()
    ListenerTrack.objects.all().delete()
    ListenedTrack.objects.all().delete()
    Track.objects.update(listen_count=0)
    Play.objects.update(rolled_up_ms=None)
    settings.INSIGHTS_ROLLUPS = "deferred"

    for play in Play.objects.order_by("pk"):
        library_services.play_report_progress(
            user=play.user, play_id=play.pk, played_seconds=play.played_seconds
        )
    waiting = ListenerQuarterHour.objects.count()
    out = StringIO()
    call_command("apply_listens", stdout=out)

    assert waiting == 0
    assert "Applied 6 listen(s)" in out.getvalue()
    assert snapshot() == inline
    call_command("apply_listens", stdout=StringIO())  # nothing left: no change
    assert snapshot() == inline


def test_deferred_progress_after_counting_adds_its_time_once_applied(alice, catalog, settings):
    settings.INSIGHTS_ROLLUPS = "deferred"
    play = listen(alice, catalog[0], utc(2026, 2, 1, 8, 0), seconds=120)
    library_services.play_report_progress(user=alice, play_id=play.pk, played_seconds=180)

    call_command("apply_listens", stdout=StringIO())

    row = ListenerTrack.objects.get(user=alice)
    assert (row.listens, row.ms) == (1, 180_000)
