"""Long periods read month rows and genre spans: their figures still equal a plain computation
over the plays in every time zone, at month edges and local midnights, across daylight-saving
changes; the incremental rows equal the rebuilt ones, and the migration fills them."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.insights.models import ListenerGenreSpan, ListenerMonth, ListenerQuarterHour
from core.insights.rebuild import rebuild_spans
from core.insights.services import insights_forget_listener
from core.library import services as library_services
from core.library.models import Play
from tests.insights import reference
from tests.insights.conftest import flattened, listen, utc
from tests.insights.test_rollups import rebuild, snapshot

KINDS = ("tracks", "artists", "albums", "genres")
ZONES = ["UTC", "Asia/Kolkata", "Asia/Kathmandu", "Europe/Berlin", "America/New_York"]
# Four months and a half: New York's clocks change on 8 March 2026, Berlin's on 29 March.
START = utc(2026, 1, 20, 0, 0)
SPAN_DAYS = 110
# Instants where a UTC month or a local day begins: listens are drawn around them.
EDGES = sorted(
    {
        datetime(2026, month, 1, tzinfo=ZoneInfo(zone)).astimezone(UTC)
        for month in (2, 3, 4, 5)
        for zone in ZONES
    }
    | {
        datetime(2026, 3, day, tzinfo=ZoneInfo(zone)).astimezone(UTC)
        for day in (8, 29, 30)
        for zone in ZONES
    }
)
NEAR = [-timedelta(minutes=15), -timedelta(seconds=1), timedelta(0), timedelta(seconds=1)]

instants = st.one_of(
    st.integers(0, SPAN_DAYS * 24 * 3600).map(lambda s: START + timedelta(seconds=s)),
    st.builds(lambda edge, near: edge + near, st.sampled_from(EDGES), st.sampled_from(NEAR)),
)
plans = st.lists(
    st.tuples(
        st.integers(0, 4),  # track
        st.integers(0, 1),  # listener
        instants,
        st.sampled_from([100.0, 150.5, 200.0]),  # seconds played, all counted
        st.booleans(),  # reported again later with more played
    ),
    max_size=30,
)


def _play(user, track, at: datetime, seconds: float, grows: bool) -> None:
    play = listen(user, track, at, seconds)
    if grows:
        library_services.play_report_progress(user=user, play_id=play.pk, played_seconds=199.9)


def _check_period(client, user, tz: ZoneInfo, first: date, last: date) -> None:
    params = {"period": "custom", "from": first, "to": last, "tz": tz.key, "limit": 50}
    stats = client.get("/api/me/stats/", params).json()
    days = (last - first).days + 1
    plays = reference.plays_between(user, tz, first, last)
    before = reference.plays_between(
        user, tz, first - timedelta(days=days), first - timedelta(days=1)
    )
    assert stats["totals"] == reference.totals(plays)
    assert stats["previous_totals"] == reference.totals(before)
    assert flattened(stats["top"]) == {k: reference.top(plays, before, k, 50) for k in KINDS}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plan=plans,
    zone=st.sampled_from(ZONES),
    first_day=st.integers(0, SPAN_DAYS),
    days=st.integers(1, SPAN_DAYS),
)
def test_long_periods_equal_a_plain_computation(
    alice, bob, alice_client, catalog, plan, zone, first_day, days
):
    with transaction.atomic():
        for track, who, at, seconds, grows in plan:
            _play((alice, bob)[who], catalog[track], at, seconds, grows)
        tz = ZoneInfo(zone)
        first = START.date() + timedelta(days=first_day)
        _check_period(alice_client, alice, tz, first, first + timedelta(days=days - 1))

        everything = alice_client.get("/api/me/stats/", {"period": "all", "tz": zone}).json()
        all_plays = reference.plays_between(alice, tz, date(2025, 1, 1), date(2027, 1, 1))
        assert len(all_plays) == Play.objects.filter(user=alice, counted=True).count()
        assert everything["totals"] == reference.totals(all_plays)
        assert flattened(everything["top"]) == {
            k: reference.top(all_plays, None, k, 10) for k in KINDS
        }

        recap = alice_client.get("/api/me/stats/recap/2026/", {"tz": zone}).json()
        year = reference.plays_between(alice, tz, date(2026, 1, 1), date(2026, 12, 31))
        assert recap["totals"] == reference.totals(year)
        assert flattened(recap["top"]) == {k: reference.top(year, [], k, 5) for k in KINDS}
        assert [(g["genre"]["id"], g["share"]) for g in recap["genres"]] == [
            (pk, round(count * 100 / len(year), 1))
            for pk, count, _ in reference.ranking(year, "genres")
        ]

        incremental = snapshot()
        rebuild()
        assert snapshot() == incremental
        transaction.set_rollback(True)


KOLKATA = ZoneInfo("Asia/Kolkata")


def test_month_edges_in_a_half_hour_zone(alice, alice_client, catalog):
    """February and March in Kolkata: 1 February begins at 18:30 UTC on 31 January, so the
    period reads February's UTC month rows, March's UTC days but the last, and quarter hours
    on 31 January and 31 March."""
    for at, track in [
        (utc(2026, 1, 31, 18, 29, 59), 0),  # 31 January locally: outside
        (utc(2026, 1, 31, 18, 30), 1),  # local midnight: inside
        (utc(2026, 1, 31, 23, 59, 59), 2),  # still January in UTC
        (utc(2026, 2, 1, 0, 0), 3),  # February in UTC
        (utc(2026, 2, 28, 23, 59, 59), 1),
        (utc(2026, 3, 1, 0, 0), 1),
        (utc(2026, 3, 31, 0, 0), 4),
        (utc(2026, 3, 31, 18, 29, 59), 3),  # 23:59:59 on 31 March locally
        (utc(2026, 3, 31, 18, 30), 0),  # 1 April locally: outside
        (utc(2026, 1, 15, 12, 0), 2),  # the previous period
    ]:
        listen(alice, catalog[track], at)

    _check_period(alice_client, alice, KOLKATA, date(2026, 2, 1), date(2026, 3, 31))
    months = set(ListenerMonth.objects.filter(user=alice).values_list("month", flat=True))
    assert months == {date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)}


def test_a_genre_counts_once_per_listen_in_days_and_months(alice, catalog):
    """Track 1 is Rock and Jazz: one listen adds one to each, in its UTC day and month."""
    listen(alice, catalog[1], utc(2026, 2, 28, 23, 50))

    spans = set(
        ListenerGenreSpan.objects.filter(user=alice).values_list(
            "span", "start", "genre_id", "listens"
        )
    )

    genres = set(catalog[1].genres.values_list("pk", flat=True))
    assert spans == {
        (span, start, genre, 1)
        for genre in genres
        for span, start in (("d", date(2026, 2, 28)), ("m", date(2026, 2, 1)))
    }


def test_forgetting_a_listener_removes_their_month_rows_and_spans(alice, bob, catalog):
    listen(alice, catalog[1], utc(2026, 2, 10, 12, 0))
    listen(bob, catalog[1], utc(2026, 2, 10, 12, 0))

    insights_forget_listener(user=alice)

    assert not ListenerMonth.objects.filter(user=alice).exists()
    assert not ListenerGenreSpan.objects.filter(user=alice).exists()
    assert ListenerMonth.objects.filter(user=bob).count() == 1


def test_rebuilt_spans_equal_the_incremental_ones(alice, bob, catalog):
    for n in range(12):
        listen(
            (alice, bob)[n % 2], catalog[n % 5], utc(2026, 1, 30, 22, 0) + timedelta(hours=7 * n)
        )
    incremental = snapshot()

    rebuild_spans()

    assert snapshot() == incremental
    assert ListenerQuarterHour.objects.count() == 12


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_month_rows_and_spans_from_quarter_hours(alice, catalog):
    listen(alice, catalog[1], utc(2026, 2, 28, 23, 50))
    listen(alice, catalog[1], utc(2026, 3, 1, 0, 5))
    filled = snapshot()

    call_command("migrate", "core", "0025", verbosity=0)
    call_command("migrate", "core", verbosity=0)

    restored = snapshot()
    assert restored["months"] == filled["months"] != []
    assert restored["genre_spans"] == filled["genre_spans"] != []
