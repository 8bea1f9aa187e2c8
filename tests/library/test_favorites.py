"""Toggling favorites and listing one's own."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db.models import QuerySet

from core.library.models import Favorite
from tests import factories
from tests.library.paths import favorite_url

pytestmark = pytest.mark.django_db

FAVORITES = "/api/favorites/"


def test_toggle_favorites_then_unfavorites(alice, alice_client, track):
    first = alice_client.post(favorite_url(track.pk))
    assert first.status_code == 200
    assert first.json() == {"is_favorite": True}
    assert Favorite.objects.filter(user=alice, track=track).exists()

    second = alice_client.post(favorite_url(track.pk))
    assert second.json() == {"is_favorite": False}
    assert not Favorite.objects.exists()


def test_toggle_does_not_touch_another_users_favorite(alice_client, bob, track):
    factories.FavoriteFactory(user=bob, track=track)

    assert alice_client.post(favorite_url(track.pk)).json() == {"is_favorite": True}
    assert Favorite.objects.filter(track=track).count() == 2


@pytest.mark.parametrize("which", ["hidden_track", "unready_track"])
@pytest.mark.parametrize("who", ["alice_client", "moderator_client"])
def test_tracks_that_are_not_playable_cannot_be_toggled(request, which, who):
    track = request.getfixturevalue(which)

    response = request.getfixturevalue(who).post(favorite_url(track.pk))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Favorite.objects.exists()


def test_unknown_track_cannot_be_toggled(alice_client, db):
    assert alice_client.post(favorite_url(999_999)).status_code == 404


def test_anonymous_cannot_toggle(api_client, track):
    response = api_client.post(favorite_url(track.pk))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_toggle_that_loses_an_insert_race_reports_the_favorite_without_error(
    alice, alice_client, track
):
    # The concurrent toggle's row already exists when ours goes to insert.
    factories.FavoriteFactory(user=alice, track=track)
    with mock.patch.object(QuerySet, "delete", return_value=(0, {})):
        response = alice_client.post(favorite_url(track.pk))

    assert response.status_code == 200
    assert response.json() == {"is_favorite": True}
    assert Favorite.objects.filter(user=alice, track=track).count() == 1


def test_list_shows_ones_own_favorites_newest_first(alice, alice_client, bob, clock):
    older, newer = factories.TrackFactory(), factories.TrackFactory()
    factories.FavoriteFactory(user=alice, track=older)
    clock.advance(60)
    factories.FavoriteFactory(user=alice, track=newer)
    factories.FavoriteFactory(user=bob, track=factories.TrackFactory())

    response = alice_client.get(FAVORITES)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["track"]["id"] for item in body["results"]] == [newer.pk, older.pk]
    first = body["results"][0]
    assert set(first) == {"track", "favorited_at"}
    assert first["track"]["is_favorite"] is True
    assert first["track"]["title"] == newer.title
    assert first["track"]["artist"] == {"id": newer.artist_id, "name": newer.artist.name}
    assert "storage_key" not in first["track"]
    assert first["favorited_at"].startswith((clock.start + timedelta(seconds=60)).isoformat()[:19])


def test_list_is_paginated(alice, alice_client):
    for _ in range(3):
        factories.FavoriteFactory(user=alice)

    body = alice_client.get(FAVORITES, {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]
    assert len(alice_client.get(FAVORITES, {"page_size": 2, "page": 2}).json()["results"]) == 1


def test_page_past_the_end_is_not_found(alice, alice_client):
    factories.FavoriteFactory(user=alice)

    response = alice_client.get(FAVORITES, {"page": 5})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("page_size", [1, 10])
def test_list_costs_the_same_queries_whatever_the_page_size(
    alice, alice_client, django_assert_num_queries, page_size
):
    genres = factories.GenreFactory.create_batch(2)
    for _ in range(10):
        factories.FavoriteFactory(user=alice, track=factories.TrackFactory(genres=genres))

    # user (token) with its role permissions (who may see hidden tracks), count, favorites
    # page, their tracks, the tracks' genres
    with django_assert_num_queries(5):
        response = alice_client.get(FAVORITES, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
    assert len(response.json()["results"][0]["track"]["genres"]) == 2


def test_hidden_tracks_drop_out_of_a_listeners_favorites(alice, alice_client, track):
    factories.FavoriteFactory(user=alice, track=track)
    factories.FavoriteFactory(user=alice, track=factories.TrackFactory(is_hidden=True))

    body = alice_client.get(FAVORITES).json()

    assert body["count"] == 1
    assert [item["track"]["id"] for item in body["results"]] == [track.pk]


def test_moderator_still_sees_their_own_favorite_once_hidden(moderator, moderator_client):
    favorite = factories.FavoriteFactory(user=moderator, track=factories.TrackFactory())
    favorite.track.is_hidden = True
    favorite.track.save()

    body = moderator_client.get(FAVORITES).json()

    assert [item["track"]["id"] for item in body["results"]] == [favorite.track_id]


@pytest.mark.parametrize("who", ["moderator_client", "staff_client", "bob_client"])
def test_nobody_sees_another_users_favorites(request, alice, who):
    factories.FavoriteFactory(user=alice)

    body = request.getfixturevalue(who).get(FAVORITES).json()

    assert body["count"] == 0


def test_anonymous_cannot_list_favorites(api_client):
    response = api_client.get(FAVORITES)

    assert response.status_code == 401
