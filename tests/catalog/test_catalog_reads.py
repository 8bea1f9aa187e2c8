"""GET /api/artists/, /api/albums/, /api/genres/: read-only, searchable, with playable counts."""

import pytest
from django.urls import reverse

from core.catalog.models import TrackStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def davis():
    artist = factories.ArtistFactory(name="Miles Davis")
    album = factories.AlbumFactory(title="Kind of Blue", artist=artist, year=1959)
    jazz = factories.GenreFactory(name="Jazz")
    factories.TrackFactory(artist=artist, album=album, genres=[jazz])
    factories.TrackFactory(artist=artist, album=album, genres=[jazz])
    factories.TrackFactory(artist=artist, album=album, genres=[jazz], is_hidden=True)
    factories.TrackFactory(artist=artist, album=album, genres=[jazz], status=TrackStatus.FAILED)
    return artist


def _by_name(response, key: str = "name") -> dict:
    assert response.status_code == 200, response.json()
    return {item[key]: item for item in response.json()["results"]}


def test_artists_list_with_counts_of_playable_tracks(api_client, davis):
    factories.ArtistFactory(name="Nobody Yet")

    items = _by_name(api_client.get(reverse("artist-list")))

    assert items["Miles Davis"]["track_count"] == 2
    assert items["Nobody Yet"]["track_count"] == 0
    assert list(items) == sorted(items)


def test_artist_detail(alice_client, davis):
    response = alice_client.get(reverse("artist-detail", args=[davis.pk]))

    assert response.status_code == 200
    assert response.json()["name"] == "Miles Davis"
    assert response.json()["track_count"] == 2


def test_albums_list_with_artist_year_and_count(api_client, davis):
    item = _by_name(api_client.get(reverse("album-list")), "title")["Kind of Blue"]

    assert item["artist"] == {"id": davis.pk, "name": "Miles Davis"}
    assert item["year"] == 1959
    assert item["track_count"] == 2


def test_album_detail(api_client, davis):
    album = davis.albums.get()

    response = api_client.get(reverse("album-detail", args=[album.pk]))

    assert response.status_code == 200
    assert response.json()["title"] == "Kind of Blue"


def test_genres_list_with_counts(api_client, davis):
    factories.GenreFactory(name="Polka")

    items = _by_name(api_client.get(reverse("genre-list")))

    assert items["Jazz"]["track_count"] == 2
    assert items["Polka"]["track_count"] == 0


@pytest.mark.parametrize(
    ("name", "term", "key", "expected"),
    [
        ("artist-list", "DAVIS", "name", {"Miles Davis"}),
        ("album-list", "kind", "title", {"Kind of Blue"}),
        ("album-list", "miles", "title", {"Kind of Blue"}),  # by artist name
        ("genre-list", "jaz", "name", {"Jazz"}),
        ("artist-list", "zzz", "name", set()),
        ("artist-list", "mi", "name", {"Miles Davis"}),  # short: the start of the name
        ("artist-list", "da", "name", set()),  # ... not inside it
        ("album-list", "ki", "title", {"Kind of Blue"}),
        ("album-list", "Mi", "title", {"Kind of Blue"}),  # by the start of the artist's name
        ("album-list", "of", "title", set()),
    ],
)
def test_catalog_lists_are_searchable(api_client, davis, name, term, key, expected):
    factories.AlbumFactory(title="Other", artist=factories.ArtistFactory(name="Else"))
    factories.GenreFactory(name="Rock")

    assert set(_by_name(api_client.get(reverse(name), {"search": term}), key)) == expected


def test_albums_filter_by_artist(api_client, davis):
    factories.AlbumFactory()

    items = _by_name(api_client.get(reverse("album-list"), {"artist": davis.pk}), "title")

    assert set(items) == {"Kind of Blue"}


@pytest.mark.parametrize("name", ["artist-detail", "album-detail"])
def test_unknown_ids_are_not_found(api_client, name):
    response = api_client.get(reverse(name, args=[999999]))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("artist-list", {"search": "x" * 201}),
        ("album-list", {"artist": "abc"}),
        ("genre-list", {"search": "x" * 201}),
    ],
)
def test_bad_parameters_are_refused(api_client, name, params):
    response = api_client.get(reverse(name), params)

    assert response.status_code == 400
    assert set(params) <= set(response.json()["fields"])


@pytest.mark.parametrize("name", ["artist-list", "album-list", "genre-list"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_catalog_lists_are_read_only_even_for_staff(staff_client, name, method):
    response = getattr(staff_client, method)(reverse(name), {"name": "x"}, format="json")

    assert response.status_code == 405


@pytest.mark.parametrize(
    "client_name",
    ["api_client", "alice_client", "uploader_client", "moderator_client", "staff_client"],
)
@pytest.mark.parametrize("name", ["artist-list", "album-list", "genre-list"])
def test_every_role_reads_the_same_counts_of_playable_tracks(request, davis, client_name, name):
    response = request.getfixturevalue(client_name).get(reverse(name))

    assert response.status_code == 200
    assert [item["track_count"] for item in response.json()["results"]] == [2]
