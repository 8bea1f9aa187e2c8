"""Artists at scale: the feed page, follow/unfollow, rating and artist statistics, timed.

    DATABASE_URL=postgres://... python -m bench.artists --phase generate   # shared window
    DATABASE_URL=postgres://... python -m bench.artists --phase time       # quiet window

`--phase time --only-stats` times the artist statistics alone.

The data (`--phase generate`, on a migrated, empty database): 10^4 artists; 10^5 listeners;
three artists with 10^5 followers each and ten releases each, fanned out to every follower
(3 x 10^6 feed rows); one listener following 2,000 artists with ten releases each; artists
with 0, 10^3 and 10^5 followers and tracks with 0, 10^3 and 10^5 ratings (for the flat
curves); one artist with --plays counted listens' rollup rows over two years, spread over
10^4 listeners and 20 tracks (its statistics). `--phase time` then times, in this process
through Django's test client (the whole API stack, no network), --repeat requests per figure
and prints JSON: p50 and p95 in ms.
"""

import argparse
import itertools
import json
import os
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

from bench.settings_env import apply as apply_bench_env

USERS = 100_000
ARTISTS = 10_000
BIG_ARTISTS = 3
RELEASES = 10
FOLLOWED = 2_000
STATS_TRACKS = 20
STATS_LISTENERS = 10_000
PERIODS = ("7d", "4w", "12m", "all")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _percentiles(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "p50": _ms(statistics.median(times)),
        "p95": _ms(times[max(0, int(len(times) * 0.95) - 1)]),
        "max": _ms(times[-1]),
    }


def _timed(call, repeat: int) -> dict:
    call()  # warm
    return _each_after(lambda: None, call, repeat)


def _sql(statement: str, params=None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _tracks(artist_id: int, count: int, uploader_id: int, album_id=None) -> list[int]:
    from core.catalog.models import Track

    rows = [
        Track(
            title=f"T{artist_id}-{n}",
            artist_id=artist_id,
            album_id=album_id,
            storage_key=f"audio/{uuid.uuid4().hex}.mp3",
            size=1,
            content_type="audio/mpeg",
            status="ready",
            uploaded_by_id=uploader_id,
            duration=200.0,
        )
        for n in range(count)
    ]
    return [t.pk for t in Track.objects.bulk_create(rows, batch_size=5000)]


def _follow_all(artist_id: int, limit: int) -> None:
    _sql(
        "INSERT INTO core_artistfollow (user_id, artist_id, created_at) "
        "SELECT id, %s, now() - (id %% 700) * interval '1 day' FROM core_user "
        "WHERE username LIKE 'bl%%' ORDER BY id LIMIT %s",
        [artist_id, limit],
    )
    _sql("UPDATE core_artist SET follower_count = %s WHERE id = %s", [limit, artist_id])


def _rate_all(track_id: int, limit: int) -> None:
    _sql(
        "INSERT INTO core_trackrating (user_id, track_id, stars, updated_at) "
        "SELECT id, %s, 1 + id %% 5, now() FROM core_user "
        "WHERE username LIKE 'bl%%' ORDER BY id LIMIT %s",
        [track_id, limit],
    )
    _sql(
        "UPDATE core_track SET rating_count = r.n, rating_total = r.total FROM "
        "(SELECT count(*) n, coalesce(sum(stars), 0) total FROM core_trackrating "
        "WHERE track_id = %s) r WHERE id = %s",
        [track_id, track_id],
    )


def _stats_rows(artist_id: int, track_ids: list[int], plays: int) -> None:
    """`plays` quarter-hour rollup rows of the artist over two years (one listen each)."""
    from core.catalog.models import Track
    from core.insights.models import ListenedTrack

    ListenedTrack.objects.bulk_create(
        [
            ListenedTrack(track_id=t.pk, title=t.title, artist_id=artist_id, artist_name="Stats")
            for t in Track.objects.filter(pk__in=track_ids)
        ],
        ignore_conflicts=True,
    )
    _sql(
        """
        INSERT INTO core_listenerquarterhour
            (user_id, bucket, track_id, artist_id, album_id, listens, ms, first_at)
        SELECT u.id, b.bucket, t.track_id, %(artist)s, NULL, 1, 200000, b.bucket
        FROM generate_series(1, %(plays)s) g
        CROSS JOIN LATERAL (
            SELECT date_trunc('hour', now())
                - (g::bigint * 7919 %% (730 * 96)) * interval '15 minutes' AS bucket) b
        JOIN LATERAL (SELECT id FROM core_user WHERE username = 'bl' || (g %% %(listeners)s))
            u ON true
        JOIN LATERAL (
            SELECT track_id FROM core_listenedtrack WHERE artist_id = %(artist)s
            ORDER BY track_id OFFSET (g %% %(tracks)s) LIMIT 1) t ON true
        ON CONFLICT DO NOTHING
        """,
        {
            "artist": artist_id,
            "plays": plays,
            "listeners": STATS_LISTENERS,
            "tracks": len(track_ids),
        },
    )


def generate(plays: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from core.artists.feed import feed_publish_track
    from core.artists.models import ArtistFollow, FeedEntry
    from core.catalog.models import Artist
    from core.models import User

    started = time.perf_counter()
    password = make_password("bench-password")
    with transaction.atomic():
        User.objects.bulk_create(
            [
                User(username=f"bl{n}", username_key=f"bl{n}", password=password)
                for n in range(USERS)
            ],
            batch_size=10_000,
        )
        uploader = User.objects.create(username="bench_up", username_key="bench_up", is_staff=True)
        listener = User.objects.create(username="bench_heavy", username_key="bench_heavy")
        artists = Artist.objects.bulk_create(
            [Artist(name=f"Bench artist {n}") for n in range(ARTISTS)], batch_size=10_000
        )
    ids = [a.pk for a in artists]
    big, followed = ids[:BIG_ARTISTS], ids[BIG_ARTISTS : BIG_ARTISTS + FOLLOWED]
    for artist_id in big:
        _follow_all(artist_id, USERS)
    _follow_all(ids[-2], 1000)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for artist_id in big:
        for track_id in _tracks(artist_id, RELEASES, uploader.pk):
            feed_publish_track(track_id=track_id)
    with transaction.atomic():
        ArtistFollow.objects.bulk_create(
            [ArtistFollow(user=listener, artist_id=a) for a in followed], batch_size=5000
        )
        entries = []
        for n, artist_id in enumerate(followed):
            for k, track_id in enumerate(_tracks(artist_id, RELEASES, uploader.pk)):
                entries.append(
                    FeedEntry(
                        user=listener,
                        artist_id=artist_id,
                        track_id=track_id,
                        released_at=start + timedelta(minutes=n * RELEASES + k),
                    )
                )
        FeedEntry.objects.bulk_create(entries, batch_size=10_000)
    _rate_all(_tracks(ids[-5], 1, uploader.pk)[0], 1000)
    _rate_all(_tracks(ids[-6], 1, uploader.pk)[0], USERS)
    _tracks(ids[-4], 1, uploader.pk)
    return {**generate_stats(plays), "generate_seconds": round(time.perf_counter() - started, 1)}


def generate_stats(plays: int) -> dict:
    """The statistics artist's rollup rows, its manager, and the setup the timing reads."""
    from core.artists.models import ArtistManager
    from core.catalog.models import Artist, Track
    from core.insights.models import ListenerQuarterHour
    from core.models import User

    ids = list(
        Artist.objects.filter(name__startswith="Bench artist ")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    uploader = User.objects.get(username="bench_up")
    stats_artist = ids[-3]
    if not ListenerQuarterHour.objects.filter(artist_id=stats_artist).exists():
        tracks = list(Track.objects.filter(artist_id=stats_artist).values_list("pk", flat=True))
        tracks = tracks or _tracks(stats_artist, STATS_TRACKS, uploader.pk)
        _stats_rows(stats_artist, tracks, plays)
        ArtistManager.objects.get_or_create(artist_id=stats_artist, user=uploader)
    _sql("ANALYZE")

    def track_of(artist_id: int) -> int:
        return Track.objects.filter(artist_id=artist_id).values_list("pk", flat=True)[0]

    setup = {
        "listener": User.objects.get(username="bench_heavy").pk,
        "manager": uploader.pk,
        "follow_artists": {"0": ids[-1], "1000": ids[-2], "100000": ids[0]},
        "rated_tracks": {
            "0": track_of(ids[-4]),
            "1000": track_of(ids[-5]),
            "100000": track_of(ids[-6]),
        },
        "stats_artist": stats_artist,
    }
    _sql("CREATE TABLE IF NOT EXISTS bench_artists (setup jsonb)")
    _sql("DELETE FROM bench_artists")
    _sql("INSERT INTO bench_artists VALUES (%s)", [json.dumps(setup)])
    return {**setup, **counts()}


def counts() -> dict:
    from django.db import connection

    tables = ["core_artist", "core_user", "core_artistfollow", "core_feedentry", "core_track"]
    tables += ["core_trackrating", "core_listenerquarterhour"]
    with connection.cursor() as cursor:
        result = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (names above)
            result[table] = cursor.fetchone()[0]
    return result


def _client(user):
    from rest_framework.test import APIClient

    return _signed_in(APIClient(), user)


def _signed_in(client, user):
    """`client` with a fresh access token of `user` (one valid at the clock's time)."""
    from core.accounts.tokens import VersionedRefreshToken

    token = VersionedRefreshToken.for_user(user).access_token
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _rerate(user, track):
    """A call that rates `track` again, with other stars each time (a real update)."""
    from core.ratings.services import set_rating

    stars = itertools.cycle(range(1, 6))
    return lambda: set_rating(user=user, item=track, stars=next(stars))


def _next_days(call, client, user, days: int) -> dict:
    """The first view of each of the `days` next days: the clock moved on (freezegun,
    ticking), so the settled edge and the period's bounds move as they do; what earlier days
    kept stays in the cache. One client throughout, signed in again each day: a new client
    would load the middleware again, which a server process does once."""
    from django.utils import timezone
    from freezegun import freeze_time

    call(client)
    times, today = [], timezone.now()
    for day in range(1, days + 1):
        with freeze_time(today + timedelta(days=day), tick=True, ignore=[__name__]):
            _signed_in(client, user)
            start = time.perf_counter()
            call(client)
            times.append(time.perf_counter() - start)
    return _percentiles(times)


def time_stats(setup: dict, repeat: int) -> dict:
    """The artist's statistics per period: repeated views (what the day's first view kept),
    and the first view of each next day."""
    from core.models import User

    manager = User.objects.get(pk=setup["manager"])
    client = _client(manager)
    result = {}
    for period in PERIODS:
        url = f"/api/artists/{setup['stats_artist']}/stats/?period={period}&tz=UTC"

        def stats(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, response.content[:200]

        result[f"stats_{period}"] = _timed(stats, repeat)
        result[f"stats_{period}_next_day"] = _next_days(stats, client, manager, repeat)
        _signed_in(client, manager)
        result.update(_after_changes(setup, period, stats, repeat))
    return result


def _late_listen(track_id: int, user_id: int, days_ago: int) -> None:
    """A counted listen that started `days_ago` days ago, applied now: a late sync."""
    from django.utils import timezone

    from core.insights.services import insights_apply_listen
    from core.library.models import Play

    now = timezone.now()
    play = Play.objects.create(
        user_id=user_id,
        track_id=track_id,
        started_at=now - timedelta(days=days_ago),
        client="bench",
        played_seconds=120.0,
        counted=True,
        counted_at=now,
    )
    insights_apply_listen(play_id=play.pk)


def _each_after(prepare, call, repeat: int) -> dict:
    """`call` timed right after each `prepare()` (not timed)."""
    times = []
    for _ in range(repeat):
        prepare()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return _percentiles(times)


def _after_changes(setup: dict, period: str, stats, repeat: int) -> dict:
    """The view after what empties kept figures: a late listen of another artist (each
    artist's days have versions of their own), a late listen of this artist 40 days ago (its
    month, kept whole, is read again) and 3 days ago (its day is), nothing kept at all (a lost
    cache), and nothing kept but what warm_artist_stats keeps (its own time too)."""
    from zoneinfo import ZoneInfo

    from django.core.cache import cache

    from core.catalog.models import Track
    from core.insights.artists import artist_figures_keep
    from core.models import User

    artist = setup["stats_artist"]
    here = Track.objects.filter(artist_id=artist).values_list("pk", flat=True).first()
    elsewhere = Track.objects.exclude(artist_id=artist).values_list("pk", flat=True).first()
    listener = User.objects.exclude(pk=setup["manager"]).values_list("pk", flat=True).first()
    warm_times = []

    def warm() -> None:
        cache.clear()
        start = time.perf_counter()
        artist_figures_keep(artist_id=artist, tz=ZoneInfo("UTC"))
        warm_times.append(time.perf_counter() - start)

    result = {
        f"stats_{period}_late_elsewhere": _each_after(
            lambda: _late_listen(elsewhere, listener, 40), stats, repeat
        ),
        f"stats_{period}_late_here": _each_after(
            lambda: _late_listen(here, listener, 40), stats, min(repeat, 10)
        ),
        f"stats_{period}_late_here_3_days": _each_after(
            lambda: _late_listen(here, listener, 3), stats, repeat
        ),
        f"stats_{period}_nothing_kept": _each_after(cache.clear, stats, 3),
        f"stats_{period}_after_warm_up": _each_after(warm, stats, 3),
    }
    result[f"warm_up_{period}_s"] = [round(t, 2) for t in warm_times]
    stats()  # keep again what the next figures start from
    return result


def _setup() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setup FROM bench_artists")
        setup = cursor.fetchone()[0]
    return json.loads(setup) if isinstance(setup, str) else setup


def time_all(repeat: int) -> dict:

    from core.artists.feed import feed_page
    from core.artists.services import artist_follow, artist_unfollow
    from core.catalog.models import Track
    from core.models import User

    setup = _setup()
    listener = User.objects.get(pk=setup["listener"])
    client = _client(listener)

    def page(query: str = ""):
        response = client.get(f"/api/me/feed/?page_size=20{query}")
        assert response.status_code == 200, response.content[:200]

    deep = feed_page(user=listener, cursor=None, limit=10_000, friends=False)[1]
    result: dict = {
        "feed_page": _timed(page, repeat),
        "feed_page_deep": _timed(lambda: page(f"&cursor={deep.encode()}"), repeat),
        "feed_selector": _timed(
            lambda: feed_page(user=listener, cursor=None, limit=20, friends=False), repeat
        ),
    }
    fan = User.objects.get(username="bl99999")
    for size, artist_id in setup["follow_artists"].items():
        result[f"follow_unfollow_{size}"] = _timed(
            lambda a=artist_id: (
                artist_follow(user=fan, artist_id=a),
                artist_unfollow(user=fan, artist_id=a),
            ),
            repeat,
        )
    rater = User.objects.get(username="bench_heavy")
    for size, track_id in setup["rated_tracks"].items():
        track = Track.objects.get(pk=track_id)
        result[f"rating_{size}"] = _timed(_rerate(rater, track), repeat)
    return {**result, **time_stats(setup, repeat)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=("generate", "stats", "time"), required=True)
    parser.add_argument("--plays", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--only-stats", action="store_true", help="time the statistics alone")
    args = parser.parse_args()
    apply_bench_env()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from config.startup import freeze_loaded_objects

    freeze_loaded_objects()  # as config/wsgi.py does
    if args.phase == "generate":
        result = generate(args.plays)
    elif args.phase == "stats":  # the statistics' rows alone, on generated data
        result = generate_stats(args.plays)
    else:
        with open("/proc/loadavg") as f:
            load = f.read().split()[:3]
        timed = time_stats(_setup(), args.repeat) if args.only_stats else time_all(args.repeat)
        result = {"load_before": load, **timed, **counts()}
    print(json.dumps(result, indent=2), flush=True)


if __name__ == "__main__":
    main()
