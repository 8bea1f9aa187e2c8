"""An artist's statistics: for its managers and staff only, and equal to a recomputation
from the plays."""

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from freezegun import freeze_time

from core.artists.models import ArtistFollow
from core.artists.serializers import ArtistStatsOutputSerializer, artist_stats_representation
from core.artists.stats import artist_stats
from core.insights import artists as artists_figures
from core.library.models import Play
from tests import factories
from tests.conftest import client_for
from tests.insights.conftest import listen

TZ = "Asia/Kolkata"


def _url(artist, query: str = "") -> str:
    return f"/api/artists/{artist.pk}/stats/{query}"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("api_client", 401),
        ("alice_client", 404),
        ("other_manager_client", 404),
        ("uploader_client", 404),
        ("manager_client", 200),
        ("moderator_client", 200),
        ("staff_client", 200),
    ],
)
def test_only_its_managers_and_staff_see_an_artists_statistics(
    request, who, status, artist, manager, other_manager
):
    assert request.getfixturevalue(who).get(_url(artist)).status_code == status


def _recomputed(artist, first_day, last_day, tz) -> dict:
    """The figures, computed plainly from the counted plays."""
    tz = ZoneInfo(tz)
    plays = [
        p
        for p in Play.objects.filter(counted=True, track__artist=artist).select_related("track")
        if first_day <= p.started_at.astimezone(tz).date() <= last_day
    ]
    per_day: dict = defaultdict(lambda: [0, set(), 0])
    by_hour = [0] * 24
    for play in plays:
        local = play.started_at.astimezone(tz)
        cell = per_day[local.date()]
        cell[0] += 1
        cell[1].add(play.user_id)
        cell[2] += int(play.played_seconds * 1000 + 0.5)
        by_hour[local.hour] += 1
    per_track = Counter(p.track_id for p in plays)
    return {
        "listens": len(plays),
        "listeners": len({p.user_id for p in plays}),
        "minutes": round(sum(int(p.played_seconds * 1000 + 0.5) for p in plays) / 60000, 1),
        "daily": {
            day.isoformat(): (cell[0], len(cell[1]), round(cell[2] / 60000, 1))
            for day, cell in per_day.items()
        },
        "by_hour": by_hour,
        "top": sorted(per_track.items(), key=lambda kv: (-kv[1], kv[0])),
    }


def test_the_statistics_equal_a_recomputation_from_the_plays(manager_client, manager, artist):
    manager.time_zone = TZ
    manager.save()
    tracks = [factories.TrackFactory(artist=artist, duration=d) for d in (200.0, 300.0, 61.0)]
    elsewhere = factories.TrackFactory(duration=200.0)
    listeners = [factories.UserFactory() for _ in range(4)]
    now = datetime.now(UTC)
    for n in range(40):
        user, track = listeners[n % 4], tracks[n % 3]
        at = now - timedelta(hours=5 * n + 1)
        listen(user, track, at, seconds=track.duration * (0.5 + (n % 5) / 10))
        listen(user, elsewhere, at)
    listen(listeners[0], tracks[0], now - timedelta(hours=2), seconds=20)  # not counted
    favorite = factories.FavoriteFactory(track=tracks[1])
    ArtistFollow.objects.create(user=listeners[2], artist=artist)

    stats = manager_client.get(_url(artist, "?period=7d")).json()

    first, last = stats["period"]["from"], stats["period"]["to"]
    expected = _recomputed(
        artist, datetime.fromisoformat(first).date(), datetime.fromisoformat(last).date(), TZ
    )
    assert stats["time_zone"] == TZ
    assert stats["totals"] == {
        "listens": expected["listens"],
        "listeners": expected["listeners"],
        "minutes": expected["minutes"],
    }
    assert {
        d["date"]: (d["listens"], d["listeners"], d["minutes"])
        for d in stats["daily"]
        if d["listens"]
    } == expected["daily"]
    assert stats["by_hour"] == expected["by_hour"]
    assert [(t["track_id"], t["listens"]) for t in stats["top_tracks"]] == expected["top"]
    today = datetime.now(ZoneInfo(TZ)).date().isoformat()
    assert {d["date"]: d["count"] for d in stats["favorites"] if d["count"]} == {
        favorite.created_at.astimezone(ZoneInfo(TZ)).date().isoformat(): 1
    }
    assert {d["date"]: d["count"] for d in stats["new_followers"] if d["count"]} == {today: 1}
    assert len(stats["daily"]) == 7


def test_a_custom_period_is_validated(manager_client, artist):
    response = manager_client.get(_url(artist, "?period=custom&from=2026-02-01"))

    assert response.status_code == 400
    assert "to" in response.json()["fields"]


def _figures(stats: dict) -> dict:
    return {
        "totals": stats["totals"],
        "daily": {d["date"]: (d["listens"], d["listeners"], d["minutes"]) for d in stats["daily"]},
        "by_hour": stats["by_hour"],
        "top": [(t["track_id"], t["listens"], t["minutes"]) for t in stats["top_tracks"]],
    }


@pytest.mark.parametrize("zone", ["UTC", TZ, "America/St_Johns"])
def test_a_period_split_at_the_settled_edge_equals_the_whole(
    manager_client, artist, settings, zone
):
    """A period that holds the settled edge is read as its settled part (kept) and the days
    since: the same figures as the whole period, distinct listeners of the day the edge cuts
    in two included."""
    tracks = [factories.TrackFactory(artist=artist, duration=200.0) for _ in range(3)]
    listeners = [factories.UserFactory() for _ in range(5)]
    now = datetime.now(UTC)
    edge = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
    for n in range(60):  # every 7 hours over the last 17 days
        listen(listeners[n % 5], tracks[n % 3], now - timedelta(hours=7 * n + 1))
    for n in range(5):  # on both sides of the edge, the same listeners
        listen(listeners[n], tracks[0], edge - timedelta(minutes=20 * n + 1))
        listen(listeners[n], tracks[1], edge + timedelta(minutes=20 * n + 1))

    for period in ("7d", "4w", "all"):
        url = _url(artist, f"?period={period}&tz={zone}")
        settings.INSIGHTS_STATS_CACHE_SECONDS = 0
        whole = manager_client.get(url).json()
        settings.INSIGHTS_STATS_CACHE_SECONDS = 86400
        split = manager_client.get(url).json()
        kept = manager_client.get(url).json()
        assert _figures(split) == _figures(whole), (period, zone)
        assert _figures(kept) == _figures(whole)


def test_an_old_listen_applied_later_shows_in_the_kept_statistics(
    manager_client, artist, django_capture_on_commit_callbacks
):
    track = factories.TrackFactory(artist=artist, duration=200.0)
    listener = factories.UserFactory()
    now = datetime.now(UTC)
    listen(listener, track, now - timedelta(days=3))
    url = _url(artist, "?period=7d&tz=UTC")
    assert manager_client.get(url).json()["totals"]["listens"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        listen(factories.UserFactory(), track, now - timedelta(days=4))  # synced late

    totals = manager_client.get(url).json()["totals"]
    assert (totals["listens"], totals["listeners"]) == (2, 2)


def _long_history(artist) -> None:
    """Listens of six listeners every 37 hours over 430 days, some at UTC month ends."""
    tracks = [factories.TrackFactory(artist=artist, duration=200.0) for _ in range(3)]
    listeners = [factories.UserFactory() for _ in range(6)]
    now = datetime.now(UTC)
    for n in range(280):
        listen(listeners[n % 6], tracks[n % 3], now - timedelta(hours=37 * n + 2))
    for months_ago in range(1, 14):
        index = now.year * 12 + now.month - 1 - months_ago
        start = datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)
        listen(listeners[months_ago % 6], tracks[0], start - timedelta(minutes=10))


@pytest.mark.parametrize("zone", ["UTC", TZ, "Pacific/Chatham", "America/New_York"])
def test_long_periods_from_kept_months_and_days_equal_the_whole(
    manager_client, artist, settings, zone
):
    """A long period's settled part is made of its whole local months and other days, each
    kept: the same figures as the period read whole, distinct listeners included."""
    _long_history(artist)
    today = datetime.now(ZoneInfo(zone)).date()
    custom = f"custom&from={today - timedelta(days=380)}&to={today - timedelta(days=35)}"

    for period in ("12m", "all", "6m", custom):
        url = _url(artist, f"?period={period}&tz={zone}")
        settings.INSIGHTS_STATS_CACHE_SECONDS = 0
        whole = manager_client.get(url).json()
        settings.INSIGHTS_STATS_CACHE_SECONDS = 86400
        kept = manager_client.get(url).json()
        assert _figures(kept) == _figures(whole), (period, zone)
        assert whole["totals"]["listens"] > 0


def test_the_next_days_first_view_reads_only_the_day_that_became_settled(
    manager, artist, settings, days_read
):
    _long_history(artist)
    url = _url(artist, f"?period=12m&tz={TZ}")
    first = client_for(manager).get(url).json()
    assert len(days_read) > 300
    days_read.clear()

    with freeze_time(datetime.now(UTC) + timedelta(days=1, hours=1), tick=True):
        client = client_for(manager)
        next_day = client.get(url).json()
        read = list(days_read)
        settings.INSIGHTS_STATS_CACHE_SECONDS = 0
        whole = client.get(url).json()

    assert len(read) <= 2
    assert _figures(next_day) == _figures(whole)
    assert next_day["totals"]["listens"] <= first["totals"]["listens"]


def test_a_month_that_ends_is_made_of_its_kept_days(manager, artist, settings, days_read):
    start = datetime(2026, 10, 27, 12, tzinfo=UTC)
    with freeze_time(start, tick=True):
        _long_history(artist)
    url = _url(artist, "?period=12m&tz=UTC")

    read_per_view = []
    for day in range(7):  # 27 October to 2 November: October becomes a whole month
        with freeze_time(start + timedelta(days=day), tick=True):
            client = client_for(manager)
            days_read.clear()
            kept = client.get(url).json()
            read_per_view.append(len(days_read))
            settings.INSIGHTS_STATS_CACHE_SECONDS = 0
            whole = client.get(url).json()
            settings.INSIGHTS_STATS_CACHE_SECONDS = 86400
            assert _figures(kept) == _figures(whole), day

    assert read_per_view[0] > 300
    assert read_per_view[1:] == [1] * 6


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Chatham"])
def test_the_direct_representation_equals_the_serializers(artist, zone):
    _long_history(artist)
    factories.FavoriteFactory(track=artist.tracks.first())
    ArtistFollow.objects.create(artist=artist, user=factories.UserFactory())

    for period in ("7d", "12m", "all"):
        figures = artist_stats(artist_id=artist.pk, period=period, tz=ZoneInfo(zone))
        direct = artist_stats_representation(figures)
        assert direct == ArtistStatsOutputSerializer(figures).data, (period, zone)
        assert json.dumps(direct) == json.dumps(ArtistStatsOutputSerializer(figures).data)


@pytest.mark.parametrize("spread", [10, 10_000_000])
def test_listeners_of_many_parts_are_counted_once(spread):
    """Dense ids are marked in a table, sparse ones sorted: the same union either way."""
    rng = np.random.default_rng(spread)
    parts = [np.unique(rng.integers(1, 50 * spread, size=200)) for _ in range(30)]
    parts.append(np.zeros(0, dtype=np.int64))

    union = artists_figures._union(parts)

    assert union.tolist() == np.unique(np.concatenate(parts)).tolist()
    assert union.dtype == np.int64
