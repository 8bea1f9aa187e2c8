"""warm_artist_stats: the settled statistics of managed artists kept ahead of their managers'
first view, in the shared cache."""

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import OperationalError

from tests.artists.conftest import make_manager
from tests.artists.test_stats import TZ, _figures, _long_history, _url
from tests.conftest import client_for


@pytest.fixture
def shared_cache(settings, redis_url):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    yield
    cache.clear()


def test_a_managers_first_view_after_the_warm_up_reads_no_settled_day(
    shared_cache, manager, artist, settings, days_read
):
    manager.time_zone = TZ
    manager.save()
    _long_history(artist)

    call_command("warm_artist_stats")
    assert days_read

    client = client_for(manager)
    for period in ("12m", "all", "6m", "4w", "7d"):
        url = _url(artist, f"?period={period}")
        days_read.clear()
        kept = client.get(url).json()
        assert days_read == [], period
        assert kept["time_zone"] == TZ
        settings.INSIGHTS_STATS_CACHE_SECONDS = 0
        whole = client.get(url).json()
        settings.INSIGHTS_STATS_CACHE_SECONDS = 86400
        assert _figures(kept) == _figures(whole), period
        assert whole["totals"]["listens"] > 0


def test_without_the_warm_up_the_first_view_reads_the_days(
    shared_cache, manager, artist, days_read
):
    """The test above holds only because the warm-up kept the days and months."""
    _long_history(artist)
    client_for(manager).get(_url(artist, "?period=12m")).json()
    assert len(days_read) > 300


def test_a_second_warm_up_reads_nothing_kept_again(shared_cache, manager, artist, days_read):
    _long_history(artist)
    call_command("warm_artist_stats")
    days_read.clear()

    call_command("warm_artist_stats")

    assert days_read == []


def test_artists_without_managers_are_left_alone(shared_cache, artist, other_artist, monkeypatch):
    _long_history(other_artist)
    kept = []
    monkeypatch.setattr(
        "core.management.commands.warm_artist_stats.artist_figures_keep",
        lambda **kwargs: kept.append(kwargs["artist_id"]) or True,
    )
    make_manager(artist, username="nina_team")

    call_command("warm_artist_stats")

    assert kept == [artist.pk]


def test_each_time_zone_of_an_artists_managers_is_kept(shared_cache, artist, monkeypatch):
    for username, zone in (("a", "UTC"), ("b", TZ), ("c", TZ)):
        user = make_manager(artist, username=username)
        user.time_zone = zone
        user.save()
    kept = []
    monkeypatch.setattr(
        "core.management.commands.warm_artist_stats.artist_figures_keep",
        lambda **kwargs: kept.append(kwargs["tz"].key) or True,
    )

    call_command("warm_artist_stats")

    assert sorted(kept) == sorted(["UTC", TZ])


def test_one_artists_failure_does_not_stop_the_others(
    shared_cache, artist, other_artist, monkeypatch
):
    make_manager(artist, username="nina_team")
    make_manager(other_artist, username="bill_team")
    kept = []

    def keep(*, artist_id, tz):
        if artist_id == artist.pk:
            raise TimeoutError("cache timed out")
        kept.append(artist_id)
        return True

    monkeypatch.setattr("core.management.commands.warm_artist_stats.artist_figures_keep", keep)

    with pytest.raises(CommandError, match="1 artist time zone"):
        call_command("warm_artist_stats")
    assert kept == [other_artist.pk]


def test_a_per_process_cache_is_refused(manager, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with pytest.raises(CommandError, match="REDIS_URL"):
        call_command("warm_artist_stats")


def test_a_single_run_fails_on_a_database_outage(shared_cache, manager, monkeypatch):
    def broken(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("core.management.commands.warm_artist_stats.artist_figures_keep", broken)

    with pytest.raises(OperationalError):
        call_command("warm_artist_stats")
