"""Random histories: every figure equals a plain computation over the same plays, in any time
zone, and the rebuild equals the incremental rollups."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.insights import reference
from tests.insights.conftest import flattened, listen, utc
from tests.insights.test_rollups import rebuild, snapshot

ZONES = [
    "UTC",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Europe/Berlin",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
]
START = utc(2026, 3, 25, 0, 0)  # the days around Europe's and Lord Howe's clock changes
SPAN_SECONDS = 14 * 24 * 3600

listens = st.lists(
    st.tuples(
        st.integers(0, 4),  # track
        st.integers(0, 1),  # listener
        st.integers(0, SPAN_SECONDS),  # start, seconds after START
        st.integers(0, 20000).map(lambda hundredths: hundredths / 100),  # seconds played
    ),
    max_size=25,
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plan=listens,
    zone=st.sampled_from(ZONES),
    first_day=st.integers(0, 13),
    days=st.integers(1, 7),
)
def test_figures_equal_a_plain_computation(
    alice, bob, alice_client, catalog, plan, zone, first_day, days
):
    with transaction.atomic():
        for track, who, offset, seconds in plan:
            listen((alice, bob)[who], catalog[track], START + timedelta(seconds=offset), seconds)
        tz = ZoneInfo(zone)
        first = date(2026, 3, 25) + timedelta(days=first_day)
        last = first + timedelta(days=days - 1)
        params = {"period": "custom", "from": first, "to": last, "tz": zone, "limit": 50}

        stats = alice_client.get("/api/me/stats/", params).json()
        activity = alice_client.get("/api/me/stats/activity/", params).json()

        plays = reference.plays_between(alice, tz, first, last)
        before = reference.plays_between(
            alice, tz, first - timedelta(days=days), first - timedelta(days=1)
        )
        kinds = ("tracks", "artists", "albums", "genres")
        assert stats["totals"] == reference.totals(plays)
        assert stats["previous_totals"] == reference.totals(before)
        assert flattened(stats["top"]) == {k: reference.top(plays, before, k, 50) for k in kinds}
        assert activity == reference.activity(plays, tz, first, last)
        incremental = snapshot()
        rebuild()
        assert snapshot() == incremental
        transaction.set_rollback(True)
