"""Managers: invited by a manager, listed to managers and staff, the last one stays."""

import pytest

from core.artists.models import ArtistManager
from tests import factories
from tests.artists.conftest import make_manager
from tests.concurrency import run_together
from tests.conftest import client_for


def _url(artist, username: str | None = None) -> str:
    base = f"/api/artists/{artist.pk}/managers/"
    return base if username is None else f"{base}{username}/"


def test_a_manager_invites_another_user_who_then_manages_the_artist(manager_client, artist, bob):
    response = manager_client.post(_url(artist), {"username": "BOB"}, format="json")

    assert response.status_code == 201
    assert response.json()["user"]["username"] == "bob"
    assert response.json()["added_by"]["username"] == "nina_team"
    listed = manager_client.get(_url(artist)).json()
    assert sorted(m["user"]["username"] for m in listed) == ["bob", "nina_team"]


def test_inviting_an_existing_manager_again_changes_nothing(manager_client, artist, manager):
    response = manager_client.post(_url(artist), {"username": manager.username}, format="json")

    assert response.status_code == 200
    assert ArtistManager.objects.filter(artist=artist).count() == 1


def test_inviting_an_unknown_user_is_not_found(manager_client, artist):
    response = manager_client.post(_url(artist), {"username": "nobody"}, format="json")

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["alice_client", "other_manager_client", "uploader_client"])
def test_others_neither_see_nor_invite_managers(request, who, artist, manager, bob):
    client = request.getfixturevalue(who)

    assert client.get(_url(artist)).status_code == 404
    assert client.post(_url(artist), {"username": "bob"}, format="json").status_code == 404
    assert not ArtistManager.objects.filter(user=bob).exists()


def test_staff_list_the_managers(staff_client, artist, manager):
    response = staff_client.get(_url(artist))

    assert response.status_code == 200
    assert [m["user"]["username"] for m in response.json()] == ["nina_team"]


def test_the_last_manager_cannot_remove_themselves(manager_client, artist, manager):
    response = manager_client.delete(_url(artist, manager.username))

    assert response.status_code == 409
    assert response.json()["code"] == "last_manager"
    assert ArtistManager.objects.filter(artist=artist, user=manager).exists()


def test_a_manager_leaves_when_another_remains(manager_client, artist, manager):
    make_manager(artist, username="second")

    assert manager_client.delete(_url(artist, manager.username)).status_code == 204
    assert list(
        ArtistManager.objects.filter(artist=artist).values_list("user__username", flat=True)
    ) == ["second"]


def test_a_moderator_removes_even_the_last_manager(moderator_client, artist, manager):
    assert moderator_client.delete(_url(artist, manager.username)).status_code == 204
    assert not ArtistManager.objects.filter(artist=artist).exists()


def test_a_manager_of_another_artist_cannot_remove_a_manager(other_manager_client, artist, manager):
    make_manager(artist, username="second")

    assert other_manager_client.delete(_url(artist, manager.username)).status_code == 404
    assert ArtistManager.objects.filter(artist=artist).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_last_managers_removing_each_other_at_once_leave_one():
    artist = factories.ArtistFactory()
    for _ in range(3):
        first, second = make_manager(artist), make_manager(artist)
        removals = [
            (client_for(first), _url(artist, second.username)),
            (client_for(second), _url(artist, first.username)),
        ]

        responses = run_together([lambda c=c, u=u: c.delete(u) for c, u in removals])

        assert sorted(r.status_code for r in responses) in ([204, 404], [204, 409])
        assert ArtistManager.objects.filter(artist=artist).count() == 1
        ArtistManager.objects.filter(artist=artist).delete()
