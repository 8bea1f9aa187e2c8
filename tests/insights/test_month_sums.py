"""A long period is summed from its whole past UTC months, each kept on its own, and the weeks
around them: the figures equal the whole computation in every time zone, the next day's first
view reads no whole month again, and months a listener keeps coming back to stay kept."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from freezegun import freeze_time

from core.insights import activity, selectors
from core.insights.keeping import Span
from core.insights.periods import Window, window_for, year_window
from core.insights.sums import span_sums
from tests.conftest import client_for
from tests.history_import import files
from tests.history_import.conftest import imported
from tests.insights.conftest import listen, random_tracks
from tests.insights.test_kept_stats import _projected

URL = "/api/me/stats/"
# The reads of whole months: their rollup rows (sums), their quarter hours by month (activity).
MONTH_READS = ("core_listenermonth", "date_trunc('month'")
ZONES = ("Asia/Kolkata", "America/St_Johns", "America/New_York", "Pacific/Chatham")


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _history(rng: random.Random, users: list, catalog: list, days: int = 420) -> list:
    """Random listens of `users` over `days`, some at UTC month ends and local midnights."""
    tracks = random_tracks(rng, catalog)
    now = _now()
    for _ in range(70):
        at = now - timedelta(minutes=rng.randint(5, 60 * 24 * days))
        listen(rng.choice(users), rng.choice(tracks), at, rng.choice((None, 150)))
    for months_ago in range(1, 14):  # around the first instant of UTC months
        index = now.year * 12 + now.month - 1 - months_ago
        at = datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)
        listen(users[0], rng.choice(tracks), at + timedelta(minutes=rng.choice((-20, -1, 0, 7))))
    return tracks


def _settled_windows(tz: ZoneInfo) -> list[Window]:
    """Windows that end before the settled edge: previous periods, last year, a custom one."""
    windows = [window_for(p, tz=tz).previous() for p in ("7d", "4w", "6m", "12m")]
    today = window_for("7d", tz=tz).last
    windows.append(year_window(today.year - 1, tz))
    windows.append(
        Window(first=today - timedelta(days=300), last=today - timedelta(days=45), tz=tz)
    )
    return windows


@pytest.mark.parametrize("seed", range(3))
def test_settled_windows_from_month_sums_equal_the_whole_computation(alice, bob, catalog, seed):
    rng = random.Random(seed)
    _history(rng, [alice, alice, bob], catalog)
    versions = selectors.stats_versions(alice.pk)

    for zone in ZONES:
        for window in _settled_windows(ZoneInfo(zone)):
            sums = span_sums(alice.pk, versions, Span(window.start, window.end))
            for limit in (1, 4, 50):
                limits = dict.fromkeys(selectors.TOP_KINDS, limit)
                whole = selectors.period_figures(alice.pk, window, limits=limits, labels=True)
                from_months = selectors._settled_figures(sums, limits)
                assert _projected(from_months) == _projected(whole), (zone, window, limit)
                assert from_months.ms == whole.ms
                shown = selectors.shown_keys(whole)
                previous = selectors.previous_figures(alice.pk, window, shown=shown)
                ranks = {kind: sums.ranks(kind, ids) for kind, ids in shown.items()}
                assert ranks == previous.ranks, (zone, window, limit)
                assert (sums.totals()[0] or selectors.ZERO_TOTALS) == previous.totals


@pytest.mark.parametrize("seed", range(2))
def test_activity_from_month_cells_equals_one_read_of_the_window(alice, bob, catalog, seed):
    rng = random.Random(seed)
    _history(rng, [alice, bob], catalog)
    versions = selectors.stats_versions(alice.pk)

    for zone in ZONES:
        tz = ZoneInfo(zone)
        today = window_for("7d", tz=tz).last
        for window in [
            window_for("12m", tz=tz),
            window_for("6m", tz=tz).previous(),
            year_window(today.year, tz),
            year_window(today.year - 1, tz),
        ]:
            kept = activity.figures(activity.kept_cells(alice.pk, versions, window), window)
            span = Span(window.start, window.end)
            whole = activity.figures(activity.read_cells(alice.pk, [span], tz), window)
            assert kept == whole, (zone, window)


def _month_reads(client, url: str, params: dict) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200, response.json()
    reads = sum(any(t in q["sql"].lower() for t in MONTH_READS) for q in context.captured_queries)
    return response.json(), reads


VIEWS = [
    (URL, {"period": "12m", "limit": 20}),
    (URL, {"period": "all"}),
    (f"{URL}activity/", {"period": "12m"}),
]


def test_the_next_days_first_view_reads_no_whole_month_again(alice, catalog, settings):
    _history(random.Random(7), [alice], catalog)
    year = _now().year
    views = [*VIEWS, (f"{URL}recap/{year - 1}/", {})]
    first = [_month_reads(client_for(alice), url, params) for url, params in views]

    with freeze_time(_now() + timedelta(days=1, hours=1), tick=True):
        listen(alice, catalog[0], _now() - timedelta(minutes=30))
        client = client_for(alice)
        next_day = [_month_reads(client, url, params) for url, params in views]
        settings.INSIGHTS_STATS_CACHE_SECONDS = 0
        computed = [client.get(url, params).json() for url, params in views]

    assert all(reads > 0 for _, reads in first)
    assert [reads for _, reads in next_day] == [0] * len(views)
    assert [body for body, _ in next_day] == computed
    assert next_day[0][0]["totals"]["listens"] > 0


def test_months_in_use_stay_kept_and_unused_ones_expire(alice, catalog, settings):
    settings.INSIGHTS_MONTHS_CACHE_SECONDS = 10 * 86400
    _history(random.Random(3), [alice], catalog)
    start = _now()

    def month_reads(days: int) -> int:
        with freeze_time(start + timedelta(days=days), tick=True):
            return _month_reads(client_for(alice), URL, {"period": "all"})[1]

    # Kept again when used after half their time (day 6), so still kept on day 12, past the
    # ten days of their first keeping; unused from day 12 to day 30, read again.
    assert [month_reads(d) for d in (0, 6, 12, 30)] == [1, 0, 0, 1]


def test_an_old_listen_synced_late_changes_a_kept_month(alice, alice_client, catalog):
    _history(random.Random(5), [alice], catalog)
    before = alice_client.get(URL, {"period": "12m"}).json()

    listen(alice, catalog[4], _now() - timedelta(days=100))

    after = alice_client.get(URL, {"period": "12m"}).json()
    assert after["totals"]["listens"] == before["totals"]["listens"] + 1


def test_listens_from_elsewhere_keep_their_names_in_kept_months(alice, alice_client, catalog):
    """Listens imported for songs the catalog lacks have negative track, artist and album ids:
    merged months keep them (the greatest of negative ids is not 0)."""
    now = _now()
    rows = []
    for n in range(40):
        at = now - timedelta(days=3 + n * 9, minutes=n)
        album = "Demo" if n % 3 else ""
        rows.append(
            files.listenbrainz_listen(
                artist="Nobody", title=f"Song {n % 4}", album=album, at=at, duration_ms=200_000
            )
        )
    assert imported(alice_client, files.json_lines(rows), filename="l.jsonl").imported == 40
    listen(alice, catalog[0], now - timedelta(days=50))

    for period in ("12m", "all"):
        kept = alice_client.get(URL, {"period": period, "limit": 50}).json()
        with override_settings(INSIGHTS_STATS_CACHE_SECONDS=0):
            whole = alice_client.get(URL, {"period": period, "limit": 50}).json()
        assert kept == whole, period
        names = {item["artist"]["name"] for item in kept["top"]["artists"]}
        assert names == {"Nobody", catalog[0].artist.name}
        albums = {item["album"]["title"] for item in kept["top"]["albums"]}
        assert "Demo" in albums
