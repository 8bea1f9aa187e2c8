"""An artist's profile: edited by its managers (bio, links, image), audited, shown on its page."""

from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from core.artists.models import ArtistProfileChange
from tests import factories
from tests.accounts.conftest import image_upload
from tests.insights.conftest import listen


def _url(artist) -> str:
    return f"/api/artists/{artist.pk}/"


def test_a_manager_edits_the_bio_and_links_and_the_change_is_audited(
    manager_client, artist, manager
):
    links = ["https://en.wikipedia.org/wiki/Nina_Simone", "https://ninasimone.bandcamp.com/"]

    response = manager_client.patch(
        _url(artist), {"bio": "High Priestess of Soul.", "links": links}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["bio"] == "High Priestess of Soul."
    assert response.json()["links"] == links
    change = ArtistProfileChange.objects.get(artist=artist)
    assert (change.user, sorted(change.fields)) == (manager, ["bio", "links"])


@pytest.mark.parametrize(
    ("link", "code"),
    [
        ("http://en.wikipedia.org/wiki/X", "invalid"),
        ("https://evil.example.com/wikipedia.org", "link_not_allowed"),
        ("https://wikipedia.org.evil.com/", "link_not_allowed"),
        ("https://user:pw@youtube.com/", "invalid"),
        ("javascript:alert(1)", "invalid"),
        ("https://[wikipedia.org/", "invalid"),
        ("https://youtube.com:http/", "invalid"),
    ],
)
def test_links_must_be_https_on_the_allowlist(manager_client, artist, link, code):
    response = manager_client.patch(_url(artist), {"links": [link]}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert list(response.json()["fields"]) == ["links"]
    artist.refresh_from_db()
    assert artist.links == []


def test_the_allowlist_is_a_setting(manager_client, artist, settings):
    settings.ARTIST_LINK_HOSTS = ["example.org"]

    ok = manager_client.patch(_url(artist), {"links": ["https://www.example.org/a"]}, format="json")
    refused = manager_client.patch(_url(artist), {"links": ["https://youtube.com/"]}, format="json")

    assert (ok.status_code, refused.status_code) == (200, 400)


def test_a_bio_longer_than_5000_characters_is_refused(manager_client, artist):
    response = manager_client.patch(_url(artist), {"bio": "x" * 5001}, format="json")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["bio"]


def test_an_image_is_stored_as_webps_by_size(manager_client, artist, media_root):
    response = manager_client.patch(
        _url(artist), {"image": image_upload(1024, 512)}, format="multipart"
    )

    assert response.status_code == 200, response.content
    urls = response.json()["image"]
    assert sorted(urls, key=int) == ["64", "256", "512"]
    artist.refresh_from_db()
    with Image.open(media_root / artist.image_files["256"]) as stored:
        assert (stored.format, stored.size) == ("WEBP", (256, 128))


def test_a_file_that_is_not_an_image_is_refused_naming_image(manager_client, artist, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bogus = SimpleUploadedFile("me.png", b"not an image at all", content_type="image/png")

    response = manager_client.patch(_url(artist), {"image": bogus}, format="multipart")

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["image"]
    assert not list(media_root.rglob("*.webp"))


@pytest.mark.parametrize("who", ["alice_client", "other_manager_client", "uploader_client"])
def test_others_cannot_edit_the_profile(request, who, artist, manager):
    response = request.getfixturevalue(who).patch(_url(artist), {"bio": "Hacked"}, format="json")

    assert response.status_code == 404
    artist.refresh_from_db()
    assert artist.bio == ""
    assert not ArtistProfileChange.objects.exists()


def test_a_moderator_edits_the_profile(moderator_client, artist):
    assert moderator_client.patch(_url(artist), {"bio": "Edited"}, format="json").status_code == 200


def test_the_page_shows_counts_albums_with_years_and_top_tracks_of_30_days(api_client, artist, bob):
    album = factories.AlbumFactory(artist=artist, title="Pastel Blues", year=1965)
    hit, other = (
        factories.TrackFactory(artist=artist, album=album, duration=200.0) for _ in range(2)
    )
    now = datetime.now(UTC)
    for _ in range(3):
        listen(bob, hit, now - timedelta(days=2))
    listen(bob, other, now - timedelta(days=1))
    for _ in range(5):  # counted, but more than 30 days ago
        listen(bob, other, now - timedelta(days=40))

    payload = api_client.get(_url(artist)).json()

    assert payload["listen_count"] == 9
    assert [(t["track"]["id"], t["listens"]) for t in payload["top_tracks"]] == [
        (hit.pk, 3),
        (other.pk, 1),
    ]
    assert payload["albums"] == [
        {
            "id": album.pk,
            "title": "Pastel Blues",
            "year": 1965,
            "artwork": None,
            "track_count": 2,
            "is_hidden": False,
        }
    ]
    assert (payload["follower_count"], payload["is_following"]) == (0, False)
    assert payload["can_manage"] is False


def test_a_hidden_track_leaves_the_top_tracks(api_client, artist, bob):
    track = factories.TrackFactory(artist=artist, duration=200.0)
    listen(bob, track, datetime.now(UTC) - timedelta(hours=3))
    track.is_hidden = True
    track.save()

    assert api_client.get(_url(artist)).json()["top_tracks"] == []


def test_a_body_that_is_not_an_object_is_a_400(manager_client, artist):
    response = manager_client.patch(_url(artist), [None, None], format="json")

    assert response.status_code == 400
