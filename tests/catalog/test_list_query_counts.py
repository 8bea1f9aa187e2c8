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


# Per request: the authenticated user with their role permissions (1), then the count, the page
# and the genres of the page (3).
@pytest.mark.parametrize("page_size", [1, 50])
def test_track_list_for_a_listener(
    alice_client, fifty_tracks, django_assert_num_queries, page_size
):
    with django_assert_num_queries(4):
        response = alice_client.get(reverse("track-list"), {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [1, 50])
def test_track_list_for_an_uploader_with_own_tracks(
    uploader_client, fifty_tracks, django_assert_num_queries, page_size
):
    # A search adds one: the matching artists' and albums' ids, looked up together.
    with django_assert_num_queries(5):
        response = uploader_client.get(
            reverse("track-list"), {"page_size": page_size, "search": "Track"}
        )
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [1, 50])
def test_track_list_for_a_moderator(
    moderator_client, fifty_tracks, django_assert_num_queries, page_size
):
    with django_assert_num_queries(4):
        response = moderator_client.get(reverse("track-list"), {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [1, 50])
def test_track_list_for_anonymous(api_client, fifty_tracks, django_assert_num_queries, page_size):
    with django_assert_num_queries(3):
        response = api_client.get(reverse("track-list"), {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [1, 50])
@pytest.mark.parametrize("name", ["artist-list", "album-list", "genre-list"])
def test_catalog_lists(api_client, fifty_tracks, django_assert_num_queries, name, page_size):
    with django_assert_num_queries(2):
        response = api_client.get(reverse(name), {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) <= page_size
