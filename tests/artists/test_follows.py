"""Following artists and people: idempotent, race-free, counted, listed newest first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.artists.models import ArtistFollow, UserFollow
from core.catalog.models import Artist
from tests import factories
from tests.concurrency import run_together
from tests.conftest import client_for


def _follow(artist) -> str:
    return f"/api/artists/{artist.pk}/follow/"


def test_following_twice_follows_once_and_counts_one(alice_client, artist):
    first = alice_client.post(_follow(artist))
    again = alice_client.post(_follow(artist))

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == {"following": True, "follower_count": 1}
    assert alice_client.get(f"/api/artists/{artist.pk}/").json()["is_following"] is True


def test_unfollowing_twice_is_harmless(alice_client, artist):
    alice_client.post(_follow(artist))

    alice_client.delete(_follow(artist))
    again = alice_client.delete(_follow(artist))

    assert again.json() == {"following": False, "follower_count": 0}
    assert not ArtistFollow.objects.exists()


def test_following_an_unknown_artist_is_not_found(alice_client):
    assert alice_client.post("/api/artists/999999/follow/").status_code == 404


def test_anonymous_cannot_follow(api_client, artist):
    assert api_client.post(_follow(artist)).status_code == 401


def test_my_following_lists_artists_newest_first(alice_client):
    artists = [factories.ArtistFactory(name=f"Band {n}") for n in range(3)]
    for artist in artists:
        alice_client.post(_follow(artist))

    response = alice_client.get("/api/me/following/")

    assert response.status_code == 200
    assert [a["artist"]["name"] for a in response.json()["results"]] == [
        "Band 2",
        "Band 1",
        "Band 0",
    ]


def test_is_following_costs_no_query_per_artist(alice, alice_client):
    from core.artists.selectors import with_following_flag

    artists = [factories.ArtistFactory() for _ in range(5)]
    alice_client.post(_follow(artists[1]))

    with CaptureQueriesContext(connection) as queries:
        flags = {a.pk: a.is_following for a in with_following_flag(Artist.objects.all(), alice)}

    assert len(queries) == 1
    assert [flags[a.pk] for a in artists] == [False, True, False, False, False]


@pytest.mark.django_db(transaction=True)
def test_concurrent_follows_and_unfollows_keep_the_count_equal_to_the_rows():
    artist = factories.ArtistFactory()
    users = [factories.UserFactory() for _ in range(4)]
    for _ in range(3):
        calls = []
        for user in users:
            client_a, client_b, client_c = (client_for(user) for _ in range(3))
            calls += [
                lambda c=client_a: c.post(_follow(artist)),
                lambda c=client_b: c.post(_follow(artist)),
                lambda c=client_c: c.delete(_follow(artist)),
            ]

        responses = run_together(calls)

        assert {r.status_code for r in responses} == {200}
        artist.refresh_from_db()
        assert artist.follower_count == ArtistFollow.objects.filter(artist=artist).count()


def test_following_a_person_needs_their_profile_public(alice_client, bob):
    private = alice_client.post("/api/users/bob/follow/")
    bob.stats_public = True
    bob.save()
    public = alice_client.post("/api/users/bob/follow/")
    again = alice_client.post("/api/users/BOB/follow/")

    assert (private.status_code, public.status_code, again.status_code) == (404, 200, 200)
    assert UserFollow.objects.filter(followed=bob).count() == 1
    listed = alice_client.get("/api/me/following/?kind=users").json()["results"]
    assert [u["user"]["username"] for u in listed] == ["bob"]


def test_one_cannot_follow_oneself(alice_client, alice):
    alice.stats_public = True
    alice.save()

    response = alice_client.post("/api/users/alice/follow/")

    assert response.status_code == 400


def test_deleting_an_account_takes_its_follows_out_of_the_counts(artist, bob):
    from core.artists.services import artist_follow

    for user in (bob, factories.UserFactory()):
        artist_follow(user=user, artist_id=artist.pk)

    bob.delete()

    artist.refresh_from_db()
    assert artist.follower_count == 1 == ArtistFollow.objects.filter(artist=artist).count()


def test_the_artist_list_says_which_artists_i_follow_in_one_query(alice_client):
    artists = [factories.ArtistFactory(name=f"Band {n}") for n in range(4)]
    alice_client.post(_follow(artists[2]))
    with CaptureQueriesContext(connection) as few:
        alice_client.get("/api/artists/")
    for n in range(10):
        alice_client.post(_follow(factories.ArtistFactory(name=f"More {n}")))

    with CaptureQueriesContext(connection) as many:
        listed = alice_client.get("/api/artists/").json()["results"]

    assert len(many) == len(few)
    flags = {a["name"]: (a["is_following"], a["follower_count"]) for a in listed}
    assert flags["Band 2"] == (True, 1)
    assert flags["Band 1"] == (False, 0)
