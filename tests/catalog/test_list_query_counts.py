"""List endpoints cost the same number of SQL queries whatever the page size."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def fifty_tracks(alice, uploader):
    genres = [factories.GenreFactory() for _ in range(3)]
    tracks = [factories.TrackFactory(genres=genres[: n % 3 + 1]) for n in range(25)]
    tracks += [
        factories.TrackFactory(genres=genres[: n % 3 + 1], uploaded_by=uploader) for n in range(25)
    ]
    tracks += [factories.TrackFactory(uploaded_by=uploader, is_hidden=True) for _ in range(5)]
    for track in tracks[::5]:
        factories.FavoriteFactory(user=alice, track=track)
    return tracks


def get_twice(client, name: str, params: dict, assert_queries, cold: int, warm: int):
    """The first request builds the page (and keeps it for those who share it), the second
    finds it kept; each costs its number of queries whatever the page size."""
    with assert_queries(cold):
        first = client.get(reverse(name), params)
    with assert_queries(warm):
        second = client.get(reverse(name), params)
    assert first.json() == second.json()
    return first


# Per request: the authenticated user with their role permissions (1), the catalog version (1);
# the first time, whether they see the public catalog (1, then remembered under the version) and
# the page built for everyone (count, page and genres: 3); then the listener's favorites and
# stars on it (1 statement).
@pytest.mark.parametrize("page_size", [1, 50])
def test_track_list_for_a_listener(
    alice_client, fifty_tracks, django_assert_num_queries, page_size
):
    response = get_twice(
        alice_client, "track-list", {"page_size": page_size}, django_assert_num_queries, 7, 3
    )
    assert len(response.json()["results"]) == page_size


# Uploaders and moderators see more than the public: their pages are built for them each time.
@pytest.mark.parametrize("page_size", [1, 50])
def test_track_list_for_an_uploader_with_own_tracks(
    uploader_client, fifty_tracks, django_assert_num_queries, page_size
):
    # A search adds one: the matching artists' and albums' ids, looked up together.
    params = {"page_size": page_size, "search": "Track"}
    response = get_twice(uploader_client, "track-list", params, django_assert_num_queries, 5, 5)
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [1, 50])
def test_track_list_for_a_moderator(
    moderator_client, fifty_tracks, django_assert_num_queries, page_size
):
    response = get_twice(
        moderator_client, "track-list", {"page_size": page_size}, django_assert_num_queries, 4, 4
    )
    assert len(response.json()["results"]) == page_size


# The version, then the page (count, page, genres) the first time only.
@pytest.mark.parametrize("page_size", [1, 50])
def test_track_list_for_anonymous(api_client, fifty_tracks, django_assert_num_queries, page_size):
    response = get_twice(
        api_client, "track-list", {"page_size": page_size}, django_assert_num_queries, 4, 1
    )
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [1, 50])
@pytest.mark.parametrize("name", ["artist-list", "album-list", "genre-list"])
def test_catalog_lists(api_client, fifty_tracks, django_assert_num_queries, name, page_size):
    response = get_twice(
        api_client, name, {"page_size": page_size}, django_assert_num_queries, 3, 1
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) <= page_size
