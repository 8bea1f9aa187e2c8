"""One rule for an artist's links, in the API and in the admin: plain https URLs on the
ARTIST_LINK_HOSTS allowlist."""

import pytest
from django.test import Client
from django.urls import reverse

from core.artists.links import MAX_LINKS, LinkRejected, clean_links
from core.artists.models import ArtistProfileChange

pytestmark = pytest.mark.django_db

REFUSED = [
    ("http://en.wikipedia.org/wiki/X", "invalid"),
    ("https://evil.example.com/wikipedia.org", "link_not_allowed"),
    ("https://wikipedia.org.evil.com/", "link_not_allowed"),
    ("https://user:pw@youtube.com/", "invalid"),
    ("https://youtube.com:8443/", "invalid"),
    ("javascript:alert(1)", "invalid"),
    ("https:///no-host", "invalid"),
    ("https://[wikipedia.org/", "invalid"),
]


def test_links_are_stripped_and_kept_once_in_order():
    links = [
        " https://en.wikipedia.org/wiki/A ",
        "https://a.bandcamp.com/",
        "https://en.wikipedia.org/wiki/A",
    ]

    assert clean_links(links) == ["https://en.wikipedia.org/wiki/A", "https://a.bandcamp.com/"]


@pytest.mark.parametrize(("link", "code"), REFUSED)
def test_a_link_off_the_rule_is_refused_with_its_reason(link, code):
    with pytest.raises(LinkRejected) as refused:
        clean_links([link])

    assert refused.value.code == code


@pytest.mark.parametrize("links", [[1], "https://youtube.com/", {"a": "b"}])
def test_links_must_be_a_list_of_strings(links):
    with pytest.raises(LinkRejected):
        clean_links(links)


def test_at_most_ten_links():
    with pytest.raises(LinkRejected):
        clean_links([f"https://youtube.com/{n}" for n in range(MAX_LINKS + 1)])


def _admin_post(user, artist, links: str):
    client = Client()
    client.force_login(user)
    data = {
        "name": artist.name,
        "bio": artist.bio,
        "links": links,
        "managers-TOTAL_FORMS": "0",
        "managers-INITIAL_FORMS": "0",
        "managers-MIN_NUM_FORMS": "0",
        "managers-MAX_NUM_FORMS": "1000",
        "profile_changes-TOTAL_FORMS": "0",
        "profile_changes-INITIAL_FORMS": "0",
        "profile_changes-MIN_NUM_FORMS": "0",
        "profile_changes-MAX_NUM_FORMS": "1000",
    }
    return client.post(reverse("admin:core_artist_change", args=[artist.pk]), data)


@pytest.mark.parametrize(("link", "code"), REFUSED)
def test_the_admin_refuses_a_link_the_api_refuses(moderator, artist, link, code):
    response = _admin_post(moderator, artist, f'["{link}"]')

    assert response.status_code == 200  # the form again, with the error
    assert "links" in response.context["adminform"].form.errors
    artist.refresh_from_db()
    assert artist.links == []
    assert not ArtistProfileChange.objects.filter(artist=artist).exists()


def test_the_admin_saves_allowed_links_cleaned(moderator, artist):
    response = _admin_post(moderator, artist, '[" https://en.wikipedia.org/wiki/N "]')

    assert response.status_code == 302
    artist.refresh_from_db()
    assert artist.links == ["https://en.wikipedia.org/wiki/N"]


def test_the_admin_follows_the_allowlist_setting(moderator, artist, settings):
    settings.ARTIST_LINK_HOSTS = ["example.org"]

    refused = _admin_post(moderator, artist, '["https://youtube.com/"]')
    saved = _admin_post(moderator, artist, '["https://www.example.org/a"]')

    assert refused.status_code == 200
    assert saved.status_code == 302
    artist.refresh_from_db()
    assert artist.links == ["https://www.example.org/a"]
