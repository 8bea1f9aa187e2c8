"""Rating tracks and albums: one rating per listener and item, counts kept on the item,
concurrent changes never fail, lists order by rating."""

import pytest

from core.artists.models import ArtistManager
from core.catalog.models import Track
from core.ratings.models import AlbumRating, TrackRating
from core.ratings.services import clear_rating, set_rating
from tests import factories
from tests.concurrency import run_together
from tests.conftest import client_for


def _url(track) -> str:
    return f"/api/tracks/{track.pk}/rating/"


@pytest.fixture
def track(db):
    return factories.TrackFactory()


def test_a_listener_rates_then_rerates_a_track(alice_client, track):
    first = alice_client.put(_url(track), {"stars": 4}, format="json")
    second = alice_client.put(_url(track), {"stars": 2}, format="json")

    assert first.json() == {"my_rating": 4, "rating_average": 4.0, "rating_count": 1}
    assert second.json() == {"my_rating": 2, "rating_average": 2.0, "rating_count": 1}
    assert TrackRating.objects.get().stars == 2


def test_the_average_has_two_decimals_and_the_payloads_carry_it(alice_client, bob, track):
    users = [bob, factories.UserFactory()]
    set_rating(user=users[0], item=track, stars=5)
    set_rating(user=users[1], item=track, stars=5)
    alice_client.put(_url(track), {"stars": 3}, format="json")

    detail = alice_client.get(f"/api/tracks/{track.pk}/").json()
    listed = alice_client.get("/api/tracks/").json()["results"][0]

    for payload in (detail, listed):
        assert (payload["my_rating"], payload["rating_average"], payload["rating_count"]) == (
            3,
            4.33,
            3,
        )


def test_an_unrated_track_has_no_average(api_client, track):
    payload = api_client.get(f"/api/tracks/{track.pk}/").json()

    assert (payload["my_rating"], payload["rating_average"], payload["rating_count"]) == (
        None,
        None,
        0,
    )


def test_clearing_a_rating_takes_it_out_of_the_counts(alice_client, alice, bob, track):
    set_rating(user=bob, item=track, stars=1)
    alice_client.put(_url(track), {"stars": 5}, format="json")

    response = alice_client.delete(_url(track))
    again = alice_client.delete(_url(track))

    assert response.json() == {"my_rating": None, "rating_average": 1.0, "rating_count": 1}
    assert again.status_code == 200
    track.refresh_from_db()
    assert (track.rating_count, track.rating_total) == (1, 1)


@pytest.mark.parametrize("stars", [0, 6, "five", None, 4.5])
def test_stars_outside_one_to_five_are_refused(alice_client, track, stars):
    response = alice_client.put(_url(track), {"stars": stars}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["stars"]
    assert not TrackRating.objects.exists()


def test_a_track_one_cannot_see_cannot_be_rated(alice_client):
    hidden = factories.TrackFactory(is_hidden=True)

    assert alice_client.put(_url(hidden), {"stars": 5}, format="json").status_code == 404


def test_a_hidden_album_is_rated_only_by_those_who_may_see_it(alice_client, moderator):
    album = factories.AlbumFactory(is_hidden=True)
    manager = factories.UserFactory(username="album_team")
    ArtistManager.objects.create(artist=album.artist, user=manager)
    url = f"/api/albums/{album.pk}/rating/"

    refused = alice_client.put(url, {"stars": 5}, format="json")
    cleared = alice_client.delete(url)
    by_manager = client_for(manager).put(url, {"stars": 4}, format="json")
    by_moderator = client_for(moderator).put(url, {"stars": 2}, format="json")

    assert (refused.status_code, cleared.status_code) == (404, 404)
    assert refused.json()["detail"] == "Album not found."
    assert (by_manager.status_code, by_moderator.status_code) == (200, 200)
    assert by_moderator.json() == {"my_rating": 2, "rating_average": 3.0, "rating_count": 2}


def test_anonymous_cannot_rate(api_client, track):
    assert api_client.put(_url(track), {"stars": 5}, format="json").status_code == 401


def test_albums_are_rated_the_same_way(alice_client, bob):
    album = factories.AlbumFactory()
    set_rating(user=bob, item=album, stars=4)

    response = alice_client.put(f"/api/albums/{album.pk}/rating/", {"stars": 5}, format="json")
    listed = alice_client.get("/api/albums/").json()["results"][0]

    assert response.json() == {"my_rating": 5, "rating_average": 4.5, "rating_count": 2}
    assert (listed["my_rating"], listed["rating_average"], listed["rating_count"]) == (5, 4.5, 2)
    assert clear_rating(user=bob, item=album) is True
    assert AlbumRating.objects.count() == 1


def test_lists_order_by_rating_with_a_minimum_count(api_client, db):
    raters = [factories.UserFactory() for _ in range(5)]
    best_few = factories.TrackFactory(title="Best but rated twice")
    good, fair = factories.TrackFactory(title="Good"), factories.TrackFactory(title="Fair")
    factories.TrackFactory(title="Unrated")
    for user in raters[:2]:
        set_rating(user=user, item=best_few, stars=5)
    for user in raters:
        set_rating(user=user, item=good, stars=4)
        set_rating(user=user, item=fair, stars=3)

    ranked = api_client.get("/api/tracks/?ordering=-rating").json()["results"]
    qualified = api_client.get("/api/tracks/?ordering=-rating&min_ratings=5").json()["results"]

    assert [t["title"] for t in ranked] == ["Best but rated twice", "Good", "Fair", "Unrated"]
    assert [t["title"] for t in qualified] == ["Good", "Fair"]


def test_the_track_list_reads_ratings_without_a_query_per_track(
    alice_client, alice, django_assert_max_num_queries
):
    tracks = [factories.TrackFactory() for _ in range(3)]
    for track in tracks:
        set_rating(user=alice, item=track, stars=3)
    with django_assert_max_num_queries(20) as few:
        alice_client.get("/api/tracks/")
    for _ in range(10):
        set_rating(user=alice, item=factories.TrackFactory(), stars=4)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = alice_client.get("/api/tracks/")

    assert {t["my_rating"] for t in response.json()["results"]} == {3, 4}


@pytest.mark.django_db(transaction=True)
def test_concurrent_ratings_of_one_item_never_fail_and_keep_the_counts():
    users = [factories.UserFactory() for _ in range(3)]
    for _ in range(3):
        track = factories.TrackFactory()
        url, calls = _url(track), []
        for user in users:
            for stars in (1, 5, 3):
                client = client_for(user)
                calls.append(lambda c=client, s=stars, u=url: c.put(u, {"stars": s}, format="json"))
            client = client_for(user)
            calls.append(lambda c=client, u=url: c.delete(u))

        responses = run_together(calls)

        assert {r.status_code for r in responses} == {200}
        track = Track.objects.get(pk=track.pk)
        rows = list(TrackRating.objects.filter(track=track).values_list("stars", flat=True))
        assert (track.rating_count, track.rating_total) == (len(rows), sum(rows))


def test_deleting_an_account_takes_its_ratings_out_of_the_counts(alice, bob, track):
    album = factories.AlbumFactory()
    for user, stars in ((alice, 5), (bob, 2)):
        set_rating(user=user, item=track, stars=stars)
        set_rating(user=user, item=album, stars=stars)

    bob.delete()

    track.refresh_from_db()
    album.refresh_from_db()
    assert (track.rating_count, track.rating_total) == (1, 5)
    assert (album.rating_count, album.rating_total) == (1, 5)
