"""Albums edited by their artist's managers: title, year, artwork, the order of the tracks."""

import pytest
from PIL import Image

from tests import factories
from tests.accounts.conftest import image_upload


@pytest.fixture
def album(artist):
    return factories.AlbumFactory(artist=artist, title="Pastel Blues", year=1964)


def _url(album) -> str:
    return f"/api/albums/{album.pk}/"


def test_a_manager_fixes_the_title_and_year(manager_client, album):
    response = manager_client.patch(
        _url(album), {"title": "Pastel Blues", "year": 1965}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["title"], response.json()["year"]) == ("Pastel Blues", 1965)


def test_a_manager_reorders_the_tracks(manager_client, album, artist):
    tracks = [factories.TrackFactory(artist=artist, album=album, track_number=n) for n in (1, 2, 3)]
    order = [tracks[2].pk, tracks[0].pk, tracks[1].pk]

    response = manager_client.patch(_url(album), {"track_order": order}, format="json")

    assert response.status_code == 200
    for track in tracks:
        track.refresh_from_db()
    assert [t.track_number for t in tracks] == [2, 3, 1]


@pytest.mark.parametrize("drop", ["one", "twice"])
def test_an_order_that_misses_or_repeats_a_track_is_refused(manager_client, album, artist, drop):
    tracks = [factories.TrackFactory(artist=artist, album=album, track_number=n) for n in (1, 2)]
    order = [tracks[0].pk] if drop == "one" else [tracks[0].pk, tracks[0].pk, tracks[1].pk]

    response = manager_client.patch(_url(album), {"track_order": order}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["track_order"]


def test_a_manager_uploads_artwork_re_encoded(manager_client, album, media_root):
    response = manager_client.patch(
        _url(album), {"artwork": image_upload(900, 900)}, format="multipart"
    )

    assert response.status_code == 200, response.content
    album.refresh_from_db()
    with Image.open(media_root / album.artwork.name) as stored:
        assert (stored.format, stored.size) == ("WEBP", (640, 640))


def test_a_title_taken_by_another_album_of_the_artist_is_refused(manager_client, album, artist):
    factories.AlbumFactory(artist=artist, title="Wild Is the Wind")

    response = manager_client.patch(_url(album), {"title": "wild is the wind"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["title"]


@pytest.mark.parametrize("who", ["alice_client", "other_manager_client", "uploader_client"])
def test_others_cannot_edit_the_album(request, who, album):
    response = request.getfixturevalue(who).patch(_url(album), {"year": 1999}, format="json")

    assert response.status_code == 404
    album.refresh_from_db()
    assert album.year == 1964
