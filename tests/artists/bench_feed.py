"""Measurements of the feed and follows at scale (not part of the suite; run explicitly):

    scripts/test.sh tests/artists/bench_feed.py -s -n 0

One artist with 100,000 followers; one listener following 2,000 artists with 10 releases each.
Prints timings (ms); asserts nothing about them."""

import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from core.artists.feed import feed_page, feed_publish_track
from core.artists.models import ArtistFollow, FeedEntry
from core.artists.services import artist_follow, artist_unfollow
from core.catalog.models import Artist, Track
from core.models import User
from core.ratings.services import set_rating
from tests.conftest import client_for

FOLLOWERS = 100_000
FOLLOWED = 2_000
RELEASES_EACH = 10


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _timed(call, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    times.sort()
    return _ms(statistics.median(times)), _ms(times[int(len(times) * 0.95) - 1])


def _users(count: int, prefix: str) -> list[int]:
    password = make_password("x")
    users = [
        User(username=f"{prefix}{n}", username_key=f"{prefix}{n}", password=password)
        for n in range(count)
    ]
    User.objects.bulk_create(users, batch_size=5000)
    return list(User.objects.filter(username__startswith=prefix).values_list("pk", flat=True))


def _tracks(artist_ids: list[int], each: int, uploader: User, start: datetime) -> list[Track]:
    tracks = [
        Track(
            title=f"T{a}-{n}",
            artist_id=a,
            storage_key=f"audio/{uuid.uuid4().hex}.mp3",
            size=1,
            content_type="audio/mpeg",
            status="ready",
            uploaded_by=uploader,
            duration=200.0,
        )
        for a in artist_ids
        for n in range(each)
    ]
    return Track.objects.bulk_create(tracks, batch_size=5000)


@pytest.mark.django_db
def test_measure_feed_and_follows_at_scale():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    big = Artist.objects.create(name="Very Popular")
    uploader = User.objects.create(username="bench_uploader", username_key="bench_uploader")
    follower_ids = _users(FOLLOWERS, "f")
    ArtistFollow.objects.bulk_create(
        [ArtistFollow(user_id=pk, artist=big) for pk in follower_ids], batch_size=10_000
    )
    Artist.objects.filter(pk=big.pk).update(follower_count=FOLLOWERS)
    release = _tracks([big.pk], 1, uploader, start)[0]

    t0 = time.perf_counter()
    feed_publish_track(track_id=release.pk)
    fan_out = _ms(time.perf_counter() - t0)
    assert FeedEntry.objects.filter(track=release).count() == FOLLOWERS

    listener = User.objects.create(username="heavy", username_key="heavy")
    artists = Artist.objects.bulk_create([Artist(name=f"A{n}") for n in range(FOLLOWED)])
    ArtistFollow.objects.bulk_create([ArtistFollow(user=listener, artist=a) for a in artists])
    tracks = _tracks([a.pk for a in artists], RELEASES_EACH, uploader, start)
    FeedEntry.objects.bulk_create(
        [
            FeedEntry(
                user=listener,
                artist_id=t.artist_id,
                track=t,
                released_at=start + timedelta(minutes=n),
            )
            for n, t in enumerate(tracks)
        ],
        batch_size=10_000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = client_for(listener)

    first = _timed(lambda: client.get("/api/me/feed/?page_size=20"), 50)
    deep_cursor = feed_page(user=listener, cursor=None, limit=10_000, friends=False)[1]
    deep = _timed(
        lambda: client.get(f"/api/me/feed/?page_size=20&cursor={deep_cursor.encode()}"), 50
    )
    selector = _timed(lambda: feed_page(user=listener, cursor=None, limit=20, friends=False), 50)
    followed = Artist.objects.filter(follows__user=listener).values("pk")
    on_read = _timed(
        lambda: list(
            Track.objects.playable()
            .filter(artist_id__in=followed)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)[:21]
        ),
        50,
    )
    fan = User.objects.get(pk=follower_ids[0])
    follow = _timed(
        lambda: (
            artist_unfollow(user=fan, artist_id=big.pk),
            artist_follow(user=fan, artist_id=big.pk),
        ),
        20,
    )
    rate = _timed(lambda: set_rating(user=fan, item=release, stars=3), 50)

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('core_feedentry'))")
        size = cursor.fetchone()[0]
    print(
        "\nfan-out of one release to 100,000 followers:",
        fan_out,
        "ms",
        "\nfeed table after it and 20,000 entries:",
        size,
        "\nfeed page (2,000 artists followed) p50/p95 ms:",
        first,
        "\nfeed selector alone (entries of a page, no payloads) p50/p95 ms:",
        selector,
        "\nfeed page 500 pages deep p50/p95 ms:",
        deep,
        "\nfan-out on read (same listener, tracks table) p50/p95 ms:",
        on_read,
        "\nunfollow+follow of the 100,000-follower artist p50/p95 ms:",
        follow,
        "\nre-rating p50/p95 ms:",
        rate,
    )
