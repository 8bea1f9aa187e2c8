"""The artist admin: managers inline, follower counts, a link to the tracks; moderators remove
managers; profile changes made there are audited."""

import pytest
from django.test import Client
from django.urls import reverse

from core.artists.models import ArtistFollow, ArtistManager, ArtistProfileChange
from tests import factories

pytestmark = pytest.mark.django_db


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change_url(artist) -> str:
    return reverse("admin:core_artist_change", args=[artist.pk])


def _form(artist, managers: list[ArtistManager], **changes) -> dict:
    data = {
        "name": artist.name,
        "bio": artist.bio,
        "links": "[]",
        "managers-TOTAL_FORMS": str(len(managers)),
        "managers-INITIAL_FORMS": str(len(managers)),
        "managers-MIN_NUM_FORMS": "0",
        "managers-MAX_NUM_FORMS": "1000",
        "profile_changes-TOTAL_FORMS": "0",
        "profile_changes-INITIAL_FORMS": "0",
        "profile_changes-MIN_NUM_FORMS": "0",
        "profile_changes-MAX_NUM_FORMS": "1000",
    }
    for n, manager in enumerate(managers):
        data[f"managers-{n}-id"] = str(manager.pk)
        data[f"managers-{n}-artist"] = str(artist.pk)
        data[f"managers-{n}-user"] = str(manager.user_id)
    data.update(changes)
    return data


def test_the_list_shows_follower_counts_and_a_link_to_the_tracks(moderator, artist):
    ArtistFollow.objects.create(user=factories.UserFactory(), artist=artist)
    artist.follower_count = 1
    artist.save()

    page = _browser(moderator).get(reverse("admin:core_artist_changelist")).content.decode()

    assert f"?artist__id__exact={artist.pk}" in page
    assert "Followers" in page or "Follower count" in page


def test_the_change_page_shows_the_managers_inline(moderator, artist, manager):
    page = _browser(moderator).get(_change_url(artist)).content.decode()

    assert manager.username in page
    assert "Profile changes (audit)" in page


def test_a_moderator_removes_a_manager(moderator, artist, manager):
    row = ArtistManager.objects.get(artist=artist, user=manager)
    data = _form(artist, [row], **{"managers-0-DELETE": "on"})

    response = _browser(moderator).post(_change_url(artist), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert not ArtistManager.objects.filter(artist=artist).exists()


def test_a_bio_changed_in_the_admin_is_audited(moderator, artist, manager):
    row = ArtistManager.objects.get(artist=artist, user=manager)

    _browser(moderator).post(_change_url(artist), _form(artist, [row], bio="Born 1933."))

    change = ArtistProfileChange.objects.get(artist=artist)
    assert (change.user, change.fields) == (moderator, ["bio"])
