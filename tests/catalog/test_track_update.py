"""PATCH /api/tracks/{id}/."""

import pytest
from django.urls import reverse

from core.catalog.models import Album, Artist, Track
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _url(track) -> str:
    return reverse("track-detail", args=[track.pk])


@pytest.fixture
def own(uploader):
    return factories.TrackFactory(title="Old", uploaded_by=uploader, genres=[])


def test_owner_edits_title_artist_album_genres_number_and_year(uploader_client, own):
    response = uploader_client.patch(
        _url(own),
        {
            "title": "New",
            "artist": "Nina Simone",
            "album": "Pastel Blues",
            "genres": ["Soul", "Jazz"],
            "track_number": 7,
            "year": 1965,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    own.refresh_from_db()
    assert own.title == "New"
    assert own.artist.name == "Nina Simone"
    assert own.album.title == "Pastel Blues" and own.album.artist == own.artist
    assert sorted(g.name for g in own.genres.all()) == ["Jazz", "Soul"]
    assert (own.track_number, own.year) == (7, 1965)
    assert response.json()["storage_key"] == own.storage_key


def test_a_partial_edit_leaves_other_fields_alone(uploader_client, own):
    jazz = factories.GenreFactory(name="Jazz")
    own.genres.set([jazz])
    before = Track.objects.get(pk=own.pk)

    response = uploader_client.patch(_url(own), {"year": 2001}, format="json")

    assert response.status_code == 200
    own.refresh_from_db()
    assert own.year == 2001
    assert (own.title, own.artist_id, own.album_id) == (
        before.title,
        before.artist_id,
        before.album_id,
    )
    assert list(own.genres.all()) == [jazz]


def test_edit_by_artist_id(uploader_client, own):
    artist = factories.ArtistFactory()

    response = uploader_client.patch(_url(own), {"artist_id": artist.pk}, format="json")

    assert response.status_code == 200
    assert response.json()["artist"]["id"] == artist.pk


def test_album_can_be_removed_and_numbers_cleared(uploader_client, own):
    response = uploader_client.patch(
        _url(own), {"album": None, "track_number": None, "year": None}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["album"] is None
    assert response.json()["track_number"] is None and response.json()["year"] is None
    assert Album.objects.filter(pk=own.album_id).exists()  # the album itself stays


def test_owner_cannot_hide_own_track(uploader_client, own):
    response = uploader_client.patch(_url(own), {"is_hidden": True}, format="json")

    assert response.status_code == 403
    own.refresh_from_db()
    assert own.is_hidden is False


@pytest.mark.parametrize("client_name", ["moderator_client", "staff_client"])
def test_moderators_and_staff_edit_and_hide_any_track(request, client_name, own):
    response = request.getfixturevalue(client_name).patch(
        _url(own), {"title": "Moderated", "is_hidden": True}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["is_hidden"] is True
    own.refresh_from_db()
    assert (own.title, own.is_hidden) == ("Moderated", True)


def test_moderator_unhides_a_hidden_track(moderator_client, hidden):
    response = moderator_client.patch(_url(hidden), {"is_hidden": False}, format="json")

    assert response.status_code == 200
    hidden.refresh_from_db()
    assert hidden.is_hidden is False


def test_listener_cannot_edit_a_visible_track(alice_client, playable):
    response = alice_client.patch(_url(playable), {"title": "Mine now"}, format="json")

    assert response.status_code == 403
    playable.refresh_from_db()
    assert playable.title == "Playable"


def test_another_uploader_cannot_edit_a_visible_track(own):
    response = client_for(factories.UploaderFactory()).patch(
        _url(own), {"title": "Mine now"}, format="json"
    )

    assert response.status_code == 403


def test_editing_an_invisible_track_is_not_found(alice_client, hidden):
    response = alice_client.patch(_url(hidden), {"title": "x"}, format="json")

    assert response.status_code == 404


def test_anonymous_cannot_edit(api_client, playable):
    assert api_client.patch(_url(playable), {"title": "x"}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"artist": ""}, "artist"),
        ({"artist": "A", "artist_id": 1}, "artist"),
        ({"artist_id": 999999}, "artist_id"),
        ({"genres": [""]}, "genres"),
        ({"genre": "A", "genres": ["B"]}, "genres"),
        ({"year": 12}, "year"),
        ({"track_number": -1}, "track_number"),
        ({"is_hidden": "maybe"}, "is_hidden"),
    ],
)
def test_bad_edits_are_refused_naming_the_field(uploader_client, own, body, field):
    response = uploader_client.patch(_url(own), body, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]
    own.refresh_from_db()
    assert own.title == "Old"


def test_a_refused_edit_creates_no_artist(uploader_client, own):
    artists = Artist.objects.count()

    response = uploader_client.patch(
        _url(own), {"artist": "Brand New", "is_hidden": True}, format="json"
    )

    assert response.status_code == 403
    assert Artist.objects.count() == artists


def test_an_empty_genre_list_clears_the_genres(uploader_client, own):
    own.genres.set([factories.GenreFactory()])

    response = uploader_client.patch(_url(own), {"genres": []}, format="json")

    assert response.status_code == 200
    assert response.json()["genres"] == []
    assert not own.genres.exists()
