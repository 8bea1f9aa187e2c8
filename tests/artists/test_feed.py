"""The release feed: followed artists' new tracks and albums, newest first, stable cursor
pages, constant cost; friends' public things on request, never private ones."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.artists.feed import feed_publish_track
from core.artists.models import FeedEntry
from core.artists.services import artist_follow, user_follow
from core.catalog.models import TrackStatus
from core.catalog.signals import track_ready
from tests import factories

T0 = datetime(2026, 11, 1, 12, tzinfo=UTC)


def _page(client, query: str = ""):
    response = client.get(f"/api/me/feed/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def _release(artist, at, album=None, **kwargs):
    track = factories.TrackFactory(artist=artist, album=album, **kwargs)
    feed_publish_track(track_id=track.pk, released_at=at)
    return track


def _all_pages(client, query: str = "?page_size=3") -> list[dict]:
    items, page = [], _page(client, query)
    items += page["results"]
    while page["next"]:
        page = _page(client, f"{query}&cursor={page['next']}")
        items += page["results"]
    return items


def test_releases_of_followed_artists_come_newest_first(alice, alice_client, artist, other_artist):
    artist_follow(user=alice, artist_id=artist.pk)
    old = _release(artist, T0)
    factories.TrackFactory()  # an artist alice does not follow
    _release(factories.ArtistFactory(), T0 + timedelta(hours=2))
    new = _release(artist, T0 + timedelta(hours=1))

    items = _page(alice_client)["results"]

    assert [(i["kind"], i["track"]["id"]) for i in items] == [("track", new.pk), ("track", old.pk)]
    assert items[0]["artist"] == {"id": artist.pk, "name": artist.name}


def test_an_albums_first_ready_track_releases_the_album_once(alice, alice_client, artist):
    artist_follow(user=alice, artist_id=artist.pk)
    album = factories.AlbumFactory(artist=artist, title="Wild Is the Wind")
    _release(artist, T0, album=album)
    _release(artist, T0 + timedelta(minutes=5), album=album)

    kinds = [i["kind"] for i in _page(alice_client)["results"]]

    assert sorted(kinds) == ["album", "track", "track"]


def test_processing_a_track_to_ready_fans_it_out_on_commit(
    alice, artist, django_capture_on_commit_callbacks
):
    artist_follow(user=alice, artist_id=artist.pk)
    track = factories.TrackFactory(artist=artist, album=None)

    with django_capture_on_commit_callbacks(execute=True):
        track_ready.send(sender=type(track), track_id=track.pk)

    assert FeedEntry.objects.filter(user=alice, track=track).count() == 1


def test_a_track_not_ready_is_not_released(alice, artist):
    artist_follow(user=alice, artist_id=artist.pk)
    track = factories.TrackFactory(artist=artist, status=TrackStatus.PROCESSING)

    feed_publish_track(track_id=track.pk)

    assert not FeedEntry.objects.exists()


def test_cursor_pages_neither_repeat_nor_skip_when_releases_interleave(
    alice, alice_client, artist, other_artist
):
    for followed in (artist, other_artist):
        artist_follow(user=alice, artist_id=followed.pk)
    tracks = [_release((artist, other_artist)[n % 2], T0 + timedelta(minutes=n)) for n in range(8)]
    # Two releases at the same instant: the tie is broken by id, not lost.
    tracks.append(_release(artist, T0 + timedelta(minutes=7)))
    first = _page(alice_client, "?page_size=4")
    # New releases arrive while the listener pages: they go on top, not into later pages.
    _release(artist, T0 + timedelta(days=1))
    rest, page = [], first
    while page["next"]:
        page = _page(alice_client, f"?page_size=4&cursor={page['next']}")
        rest += page["results"]

    seen = [i["track"]["id"] for i in first["results"] + rest]
    assert sorted(seen) == sorted(t.pk for t in tracks)
    assert len(seen) == len(set(seen))
    ats = [i["at"] for i in first["results"] + rest]
    assert ats == sorted(ats, reverse=True)


def test_unfollowing_empties_the_artist_out_of_the_feed_and_hidden_tracks_drop(
    alice, alice_client, artist
):
    artist_follow(user=alice, artist_id=artist.pk)
    hidden = _release(artist, T0)
    hidden.is_hidden = True
    hidden.save()
    _release(artist, T0 + timedelta(hours=1))

    assert len(_page(alice_client)["results"]) == 1
    alice_client.delete(f"/api/artists/{artist.pk}/follow/")
    assert _page(alice_client)["results"] == []


def test_a_new_follower_gets_the_artists_latest_releases(alice, alice_client, artist):
    tracks = [factories.TrackFactory(artist=artist, album=None) for _ in range(3)]

    alice_client.post(f"/api/artists/{artist.pk}/follow/")

    assert sorted(i["track"]["id"] for i in _page(alice_client)["results"]) == sorted(
        t.pk for t in tracks
    )


def test_a_page_costs_the_same_whatever_the_number_of_artists_followed(alice, alice_client):
    artists = [factories.ArtistFactory() for _ in range(2)]
    for a in artists:
        artist_follow(user=alice, artist_id=a.pk)
        _release(a, T0)
    with CaptureQueriesContext(connection) as few:
        _page(alice_client)
    for n in range(20):
        a = factories.ArtistFactory()
        artist_follow(user=alice, artist_id=a.pk)
        _release(a, T0 + timedelta(minutes=n))

    with CaptureQueriesContext(connection) as many:
        _page(alice_client)

    assert len(many) == len(few)


def test_friends_public_playlists_and_public_favorites_appear_private_ones_never(
    alice, alice_client, bob
):
    bob.stats_public = True
    bob.save()
    user_follow(user=alice, username="bob")
    public = factories.PlaylistFactory(owner=bob, name="Out loud", is_public=True)
    factories.PlaylistFactory(owner=bob, name="Diary", is_public=False)
    favorite = factories.FavoriteFactory(user=bob)
    factories.FavoriteFactory(user=bob, track=factories.TrackFactory(is_hidden=True))
    stranger = factories.UserFactory(stats_public=True)
    factories.PlaylistFactory(owner=stranger, is_public=True)

    without = _page(alice_client)["results"]
    items = _page(alice_client, "?include=friends")["results"]

    assert without == []
    assert sorted((i["kind"], i["user"]["username"]) for i in items) == [
        ("favorite", "bob"),
        ("playlist", "bob"),
    ]
    by_kind = {i["kind"]: i for i in items}
    assert by_kind["playlist"]["playlist"] == {"id": public.pk, "name": "Out loud"}
    assert by_kind["favorite"]["track"]["id"] == favorite.track_id
    # Once bob's profile is private, his favorites leave the feeds; public playlists stay.
    bob.stats_public = False
    bob.save()
    kinds = [i["kind"] for i in _page(alice_client, "?include=friends")["results"]]
    assert kinds == ["playlist"]


def test_friends_items_page_with_releases_without_repeats(alice, alice_client, bob, artist):
    bob.stats_public = True
    bob.save()
    user_follow(user=alice, username="bob")
    artist_follow(user=alice, artist_id=artist.pk)
    for n in range(4):
        _release(artist, datetime.now(UTC) - timedelta(minutes=n))
        factories.PlaylistFactory(owner=bob, is_public=True)
        factories.FavoriteFactory(user=bob)

    items = _all_pages(alice_client, "?page_size=3&include=friends")

    keys = [(i["kind"], i["track"]["id"] if i["track"] else i["playlist"]["id"]) for i in items]
    assert len(keys) == len(set(keys)) == 12
    ats = [i["at"] for i in items]
    assert ats == sorted(ats, reverse=True)


@pytest.mark.parametrize("cursor", ["garbage", "MjAyNnwzfHg", "eA"])
def test_a_forged_cursor_is_a_400(alice_client, cursor):
    response = alice_client.get(f"/api/me/feed/?cursor={cursor}")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["cursor"]
