"""An artist's kept statistics depend on the versions of the artist's UTC days: a late listen,
an import or a cleared history reads again only the days of the artists it changed, and the
kept figures stay equal to a recomputation from the rows."""

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from core.artists.stats import artist_stats
from core.history_import.matching import forget_shared_index
from core.history_import.scrobbles import listens_submit
from core.insights.models import ArtistDayVersion
from core.insights.rebuild import rebuild_insights
from core.library.models import ExternalListen, Play
from core.library.services import play_history_clear
from tests import factories
from tests.concurrency import run_together
from tests.conftest import client_for
from tests.insights.conftest import listen

ZONES = ["UTC", "Asia/Kolkata", "America/New_York"]


def _month(months_ago: int) -> date:
    """The first day of the UTC month `months_ago` before this one."""
    today = timezone.now().astimezone(UTC).date()
    index = today.year * 12 + today.month - 1 - months_ago
    return date(index // 12, index % 12 + 1, 1)


def _at(month: date, day: int, hour: int) -> datetime:
    return datetime.combine(month.replace(day=day), time(hour), UTC)


def _history(artists: list, listeners: list) -> dict:
    """Each artist's two tracks, listened to every 53 hours over 200 days by turns of
    `listeners`; returns the tracks by artist."""
    now = timezone.now()
    tracks = {
        artist: [factories.TrackFactory(artist=artist, duration=200.0) for _ in range(2)]
        for artist in artists
    }
    for n in range(90):
        for k, artist in enumerate(artists):
            at = now - timedelta(hours=53 * n + 2 + 7 * k)
            listen(listeners[(n + k) % len(listeners)], tracks[artist][n % 2], at)
    return tracks


def _listening(stats: dict) -> dict:
    return {
        "totals": stats["totals"],
        "daily": [(d["date"], d["listens"], d["listeners"], d["minutes"]) for d in stats["daily"]],
        "by_hour": stats["by_hour"],
        "top": [(t["track_id"], t["listens"], t["minutes"]) for t in stats["top_tracks"]],
    }


def _kept_and_whole(artist, period: str, zone: str, settings) -> tuple[dict, dict]:
    """The artist's figures as kept (what earlier views kept, and what this one keeps), and
    computed whole from the rows."""
    tz = ZoneInfo(zone)
    kept = artist_stats(artist_id=artist.pk, period=period, tz=tz)
    seconds = settings.INSIGHTS_STATS_CACHE_SECONDS
    settings.INSIGHTS_STATS_CACHE_SECONDS = 0
    whole = artist_stats(artist_id=artist.pk, period=period, tz=tz)
    settings.INSIGHTS_STATS_CACHE_SECONDS = seconds
    return _listening(kept), _listening(whole)


def test_only_listens_older_than_a_day_move_their_artists_day(artist, other_artist):
    listener = factories.UserFactory()
    mine, theirs = (factories.TrackFactory(artist=a) for a in (artist, other_artist))

    listen(listener, mine, timezone.now() - timedelta(hours=2))
    assert not ArtistDayVersion.objects.exists()

    mine_at, theirs_at = _at(_month(2), 10, 12), _at(_month(3), 1, 0)
    listen(listener, mine, mine_at)
    listen(listener, theirs, theirs_at)
    versions = {(row.artist_id, row.day): row.version for row in ArtistDayVersion.objects.all()}

    assert set(versions) == {(artist.pk, mine_at.date()), (other_artist.pk, theirs_at.date())}
    listen(listener, theirs, _at(_month(3), 1, 23))  # the same UTC day
    moved = ArtistDayVersion.objects.get(artist_id=other_artist.pk, day=theirs_at.date())
    assert moved.version != versions[(other_artist.pk, theirs_at.date())]
    kept = ArtistDayVersion.objects.get(artist_id=artist.pk, day=mine_at.date())
    assert kept.version == versions[(artist.pk, mine_at.date())]
    listen(listener, mine, _at(_month(2), 11, 12))  # another day: a row of its own
    assert ArtistDayVersion.objects.filter(artist_id=artist.pk).count() == 2


@pytest.mark.parametrize(
    ("zone", "overlapping"), [("UTC", [0]), ("Asia/Kolkata", [0, 1]), ("America/New_York", [-1, 0])]
)
def test_a_late_listen_in_an_old_month_reads_again_only_the_local_days_over_its_utc_day(
    artist, other_artist, settings, days_read, django_capture_on_commit_callbacks, zone, overlapping
):
    """A listen synced late for one artist in an old month: the other artist reads nothing of
    its settled part, and this one only the local days that overlap the listen's UTC day (the
    first of the month: in New York it began the evening before), its month merged again
    from its kept days."""
    listeners = [factories.UserFactory() for _ in range(4)]
    tracks = _history([artist, other_artist], listeners)
    tz = ZoneInfo(zone)
    for one in (artist, other_artist):
        artist_stats(artist_id=one.pk, period="12m", tz=tz)
    month = _month(3)

    with django_capture_on_commit_callbacks(execute=True):
        listen(factories.UserFactory(), tracks[artist][0], _at(month, 1, 2))
    days_read.clear()
    other_kept, other_whole = _kept_and_whole(other_artist, "12m", zone, settings)
    other_reads = list(days_read)
    days_read.clear()
    kept, whole = _kept_and_whole(artist, "12m", zone, settings)

    assert other_reads == []
    assert other_kept == other_whole
    assert days_read == [month + timedelta(days=n) for n in overlapping]
    assert kept == whole


@pytest.mark.parametrize(("zone", "local_days"), [("UTC", [16]), ("America/New_York", [15, 16])])
def test_a_listen_synced_two_days_late_reads_again_only_its_days(
    artist, other_artist, settings, days_read, django_capture_on_commit_callbacks, zone, local_days
):
    """The common late listen (a phone offline for a few days): only the local days over its
    UTC day are read again."""
    with freeze_time(datetime(2026, 11, 20, 12, tzinfo=UTC), tick=True):
        listeners = [factories.UserFactory() for _ in range(4)]
        tracks = _history([artist, other_artist], listeners)
        for one in (artist, other_artist):
            artist_stats(artist_id=one.pk, period="12m", tz=ZoneInfo(zone))

        with django_capture_on_commit_callbacks(execute=True):
            listen(listeners[0], tracks[artist][0], datetime(2026, 11, 16, 9, tzinfo=UTC))
        days_read.clear()
        kept, whole = _kept_and_whole(artist, "12m", zone, settings)
        other_kept, other_whole = _kept_and_whole(other_artist, "12m", zone, settings)

    assert days_read == [date(2026, 11, day) for day in local_days]
    assert kept == whole
    assert other_kept == other_whole


def _late_listen(artist, tracks, listeners) -> None:
    listen(factories.UserFactory(), tracks[artist][1], _at(_month(2), 10, 9))


def _import(artist, tracks, listeners) -> None:
    """Listens heard elsewhere of the artist's track, scrobbled late (ListenBrainz's import)."""
    forget_shared_index()
    track = tracks[artist][0]
    payload = [
        {
            "listened_at": int(_at(_month(months_ago), 5, 20).timestamp()),
            "track_metadata": {"artist_name": artist.name, "track_name": track.title},
        }
        for months_ago in (1, 4)
    ]
    raw = json.dumps({"listen_type": "import", "payload": payload}).encode()
    listens_submit(user=listeners[0], raw=raw)
    assert ExternalListen.objects.filter(track=track, matched=True, counted=True).count() == 2


def _cleared_history(artist, tracks, listeners) -> None:
    play_history_clear(user=listeners[0])


def _deleted_account(artist, tracks, listeners) -> None:
    listeners[1].delete()


def _rebuild(artist, tracks, listeners) -> None:
    """Entries removed behind the rollups' back (a repair), then the rollups rebuilt."""
    ids = Play.objects.filter(user=listeners[2], track__artist=artist).values_list("pk", flat=True)
    Play.objects.filter(pk__in=list(ids.order_by("started_at")[:5])).delete()
    rebuild_insights()


@pytest.mark.parametrize(
    "change", [_late_listen, _import, _cleared_history, _deleted_account, _rebuild]
)
def test_kept_figures_equal_the_rows_after_a_change(
    artist, other_artist, settings, django_capture_on_commit_callbacks, change
):
    listeners = [factories.UserFactory() for _ in range(4)]
    tracks = _history([artist, other_artist], listeners)
    views = [(one, p, z) for one in (artist, other_artist) for p in ("12m", "all") for z in ZONES]
    for one, period, zone in views:
        _kept_and_whole(one, period, zone, settings)  # kept from here on
    before = _kept_and_whole(artist, "12m", "UTC", settings)[0]

    with django_capture_on_commit_callbacks(execute=True):
        change(artist, tracks, listeners)

    for one, period, zone in views:
        kept, whole = _kept_and_whole(one, period, zone, settings)
        assert kept == whole, (one.name, period, zone)
    assert _kept_and_whole(artist, "12m", "UTC", settings)[0] != before


@pytest.mark.django_db(transaction=True)
def test_concurrent_late_imports_of_the_same_artists_and_months_all_succeed():
    """Listeners importing listens of the same artists in the same months at the same instant,
    in opposite orders: every version write waits its turn, none deadlocks."""
    artists = [f"Band {n}" for n in range(40)]
    months = [_month(n) for n in range(2, 8)]
    listeners = [factories.UserFactory() for _ in range(4)]
    tokens = [
        client_for(user).post("/api/me/tokens/", {"name": "Player"}).json()["token"]
        for user in listeners
    ]
    bodies = []
    for n, listener in enumerate(listeners):
        payload = [
            {
                "listened_at": int(_at(month, 3 + k % 20, n).timestamp()),
                "track_metadata": {"artist_name": name, "track_name": f"{listener.pk}-{k}"},
            }
            for k, (name, month) in enumerate((a, m) for a in artists for m in months)
        ]
        ordered = payload if n % 2 else payload[::-1]
        bodies.append(json.dumps({"listen_type": "import", "payload": ordered}))

    def submit(token: str, body: str):
        return Client().generic(
            "POST",
            "/1/submit-listens",
            body.encode(),
            content_type="application/json",
            headers={"Authorization": f"Token {token}"},
        )

    responses = run_together(
        [lambda t=t, b=b: submit(t, b) for t, b in zip(tokens, bodies, strict=True)]
    )

    assert [r.status_code for r in responses] == [200] * len(listeners)
    days = {
        (name, month.replace(day=3 + k % 20))
        for k, (name, month) in enumerate((a, m) for a in artists for m in months)
    }
    assert ArtistDayVersion.objects.count() == len(days)
    assert ExternalListen.objects.count() == len(listeners) * len(artists) * len(months)
