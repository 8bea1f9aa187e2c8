"""A feed page built from rows (core/catalog/payloads.py) is byte for byte what the
serializers make, for every kind of viewer and item; and the album payload has a fast path."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from freezegun import freeze_time
from rest_framework.test import APIClient

from core.artists.feed import feed_publish_track
from core.artists.models import ArtistManager
from core.artists.services import artist_follow, user_follow
from core.catalog import payloads
from core.catalog.models import TrackStatus
from core.processing.models import TrackMedia
from core.ratings.services import set_rating
from tests import factories

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.fixture
def feed_world(alice, bob, uploader, media_root):
    """Alice follows two artists (one with albums, one with artwork, ratings, favorites, a
    hidden and a failed track) and Bob, whose public things come with `include=friends`."""
    first, second = factories.ArtistFactory(name="Ann"), factories.ArtistFactory(name="Bo")
    for artist in (first, second):
        artist_follow(user=alice, artist_id=artist.pk)
    album = factories.AlbumFactory(artist=first, title="Ärger", year=None)
    album.artwork.save("cover.png", ContentFile(b"png"), save=True)
    genre = factories.GenreFactory(name="jazz")
    tracks = []
    for n in range(6):
        track = factories.TrackFactory(
            artist=first if n % 2 else second,
            album=album if n % 2 else None,
            uploaded_by=uploader if n % 3 else alice,
            genres=[genre] if n % 2 else [],
        )
        if n == 2:
            TrackMedia.objects.create(track=track, artwork={"64": "a/64.jpg"}, loudness_lufs=-9)
        feed_publish_track(track_id=track.pk, released_at=T0 + timedelta(minutes=n))
        tracks.append(track)
    set_rating(user=alice, item=tracks[1], stars=4)
    set_rating(user=bob, item=album, stars=5)
    factories.FavoriteFactory(user=alice, track=tracks[3])
    hidden = factories.TrackFactory(artist=first, status=TrackStatus.FAILED)
    feed_publish_track(track_id=hidden.pk, released_at=T0)
    bob.stats_public = True
    bob.save(update_fields=["stats_public"])
    user_follow(user=alice, username=bob.username)
    factories.PlaylistFactory(owner=bob, name="Bob's mix", is_public=True)
    factories.FavoriteFactory(user=bob, track=tracks[0])
    return first


def _both_ways(client, query: str) -> tuple[bytes, bytes]:
    with freeze_time("2026-12-02 12:00:00"):
        fast = client.get(f"/api/me/feed/{query}")
        with (
            mock.patch.object(payloads, "track_plans", lambda: None),
            mock.patch.object(payloads, "album_plan", lambda: None),
        ):
            slow = client.get(f"/api/me/feed/{query}")
    assert fast.status_code == slow.status_code == 200
    return fast.content, slow.content


@pytest.mark.parametrize("viewer", ["listener", "manager", "moderator"])
@pytest.mark.parametrize("query", ["?page_size=100", "?page_size=100&include=friends"])
def test_the_fast_feed_is_the_serializers_json_byte_for_byte(
    feed_world, alice, moderator, viewer, query
):
    if viewer == "manager":
        ArtistManager.objects.create(artist=feed_world, user=alice)
    if viewer == "moderator":
        artist_follow(user=moderator, artist_id=feed_world.pk)
    client = APIClient()
    # Not a JWT: the frozen clock would find it issued in the future.
    client.force_authenticate(moderator if viewer == "moderator" else alice)

    fast, slow = _both_ways(client, query)

    assert fast == slow
    assert b'"kind":"album"' in fast and b'"kind":"track"' in fast


def test_every_album_field_has_a_fast_path():
    # Fails when a field is added to AlbumOutputSerializer that the fast path cannot build:
    # add its builder to core/catalog/payloads.py (the feed serializes albums until then).
    assert payloads.album_plan() is not None
