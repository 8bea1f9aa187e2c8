"""Hiding and unhiding an artist's tracks and albums: its managers hide and unhide their own
hides, moderation's hides are lifted only by moderation, and each hide says whose it is."""

from datetime import UTC, datetime

import pytest

from core.artists.feed import feed_publish_track
from core.artists.services import artist_follow
from core.catalog.models import Album, HiddenRole, Track
from core.reports.services import reported_item_hide
from tests import factories
from tests.artists.conftest import make_manager
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(artist):
    return factories.TrackFactory(artist=artist, title="Feeling Good")


@pytest.fixture
def album(artist):
    return factories.AlbumFactory(artist=artist, title="I Put a Spell on You")


def _hide_track(client, track, hidden: bool = True):
    return client.patch(f"/api/tracks/{track.pk}/", {"is_hidden": hidden}, format="json")


def _hide_album(client, album, hidden: bool = True):
    return client.patch(f"/api/albums/{album.pk}/", {"is_hidden": hidden}, format="json")


def _hiding(obj) -> tuple:
    obj.refresh_from_db()
    return obj.is_hidden, obj.hidden_role, obj.hidden_by_id


def test_a_manager_hides_their_artists_track_and_listeners_lose_it(
    manager_client, manager, track, alice_client
):
    response = _hide_track(manager_client, track)

    assert response.status_code == 200
    assert (response.json()["is_hidden"], response.json()["hidden_role"]) == (True, "manager")
    assert _hiding(track) == (True, HiddenRole.MANAGER, manager.pk)
    assert alice_client.get(f"/api/tracks/{track.pk}/").status_code == 404


def test_a_manager_unhides_a_track_the_managers_hid(manager_client, artist, track, alice_client):
    co_manager = client_for(make_manager(artist, username="nina_label"))
    _hide_track(manager_client, track)

    response = _hide_track(co_manager, track, hidden=False)

    assert response.status_code == 200
    assert response.json()["is_hidden"] is False
    assert _hiding(track) == (False, "", None)
    assert alice_client.get(f"/api/tracks/{track.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["moderator", "staff"])
def test_a_manager_cannot_unhide_what_moderation_hid(request, who, manager_client, track):
    hider = request.getfixturevalue(who)
    assert _hide_track(client_for(hider), track).status_code == 200

    response = _hide_track(manager_client, track, hidden=False)

    assert response.status_code == 403
    assert response.json()["code"] == "hidden_by_moderation"
    assert _hiding(track) == (True, who, hider.pk)


def test_a_manager_hiding_again_keeps_moderations_hide(moderator, manager_client, track):
    _hide_track(client_for(moderator), track)

    assert _hide_track(manager_client, track).status_code == 200

    assert _hiding(track) == (True, HiddenRole.MODERATOR, moderator.pk)


def test_a_moderator_takes_over_a_managers_hide_and_unhides_any(
    moderator_client, moderator, manager_client, track
):
    _hide_track(manager_client, track)

    _hide_track(moderator_client, track)
    taken_over = _hiding(track)
    still_hidden = _hide_track(manager_client, track, hidden=False).status_code
    lifted = _hide_track(moderator_client, track, hidden=False)

    assert taken_over == (True, HiddenRole.MODERATOR, moderator.pk)
    assert still_hidden == 403
    assert lifted.status_code == 200
    assert _hiding(track) == (False, "", None)


def test_tracks_hidden_before_hides_were_recorded_count_as_moderations(manager_client, artist):
    older = factories.TrackFactory(artist=artist, is_hidden=True)

    assert _hide_track(manager_client, older, hidden=False).status_code == 403
    assert _hiding(older)[0] is True


@pytest.mark.parametrize("who", ["other_manager_client", "alice_client", "uploader_client"])
def test_others_cannot_hide_an_artists_track(request, who, track):
    response = _hide_track(request.getfixturevalue(who), track)

    assert response.status_code == 403
    assert _hiding(track) == (False, "", None)


def test_others_cannot_unhide_a_managers_hide(manager_client, other_manager_client, track):
    _hide_track(manager_client, track)

    # A hidden track is not found by those who may not see it.
    assert _hide_track(other_manager_client, track, hidden=False).status_code == 404
    assert _hiding(track)[0] is True


def test_managers_see_is_hidden_in_their_artists_track_lists(
    manager_client, alice_client, track, other_artist
):
    _hide_track(manager_client, track)
    foreign = factories.TrackFactory(artist=other_artist)

    mine = {row["id"]: row for row in manager_client.get("/api/tracks/").json()["results"]}
    theirs = {row["id"]: row for row in alice_client.get("/api/tracks/").json()["results"]}

    assert (mine[track.pk]["is_hidden"], mine[track.pk]["hidden_role"]) == (True, "manager")
    assert "is_hidden" not in mine[foreign.pk]
    assert track.pk not in theirs
    assert "is_hidden" not in theirs[foreign.pk]


def test_a_reported_track_hidden_by_a_moderator_records_them(moderator, track):
    reported_item_hide(kind="track", item_id=track.pk, by=moderator)

    assert _hiding(track) == (True, HiddenRole.MODERATOR, moderator.pk)


def test_a_manager_hides_and_unhides_their_album(
    manager_client, manager, album, artist, alice_client, api_client
):
    hide = _hide_album(manager_client, album)
    hidden_to = {
        "detail": alice_client.get(f"/api/albums/{album.pk}/").status_code,
        "list": [row["id"] for row in api_client.get("/api/albums/").json()["results"]],
        "page": [
            row["id"] for row in alice_client.get(f"/api/artists/{artist.pk}/").json()["albums"]
        ],
        "manager_page": manager_client.get(f"/api/artists/{artist.pk}/").json()["albums"],
    }
    shown = _hide_album(manager_client, album, hidden=False)

    assert hide.status_code == 200
    assert (hide.json()["is_hidden"], hide.json()["hidden_role"]) == (True, "manager")
    assert hidden_to["detail"] == 404
    assert album.pk not in hidden_to["list"]
    assert album.pk not in hidden_to["page"]
    assert [(a["id"], a["is_hidden"]) for a in hidden_to["manager_page"]] == [(album.pk, True)]
    assert shown.status_code == 200
    assert shown.json()["is_hidden"] is False
    assert _hiding(album) == (False, "", None)
    assert alice_client.get(f"/api/albums/{album.pk}/").status_code == 200


def test_a_manager_sees_whose_hide_an_album_is_listeners_do_not(
    manager_client, album, alice_client
):
    manager_view = manager_client.get(f"/api/albums/{album.pk}/").json()
    listener_view = alice_client.get(f"/api/albums/{album.pk}/").json()

    assert (manager_view["is_hidden"], manager_view["hidden_role"]) == (False, "")
    assert "is_hidden" not in listener_view and "hidden_role" not in listener_view


@pytest.mark.parametrize("who", ["moderator", "staff"])
def test_a_manager_cannot_unhide_an_album_moderation_hid(request, who, manager_client, album):
    hider = request.getfixturevalue(who)
    assert _hide_album(client_for(hider), album).status_code == 200

    response = _hide_album(manager_client, album, hidden=False)
    lifted = _hide_album(client_for(hider), album, hidden=False)

    assert response.status_code == 403
    assert response.json()["code"] == "hidden_by_moderation"
    assert lifted.status_code == 200
    assert Album.objects.get(pk=album.pk).is_hidden is False


@pytest.mark.parametrize("who", ["other_manager_client", "alice_client", "uploader_client"])
def test_others_cannot_hide_an_album(request, who, album):
    assert _hide_album(request.getfixturevalue(who), album).status_code == 404
    assert _hiding(album) == (False, "", None)


def test_a_hidden_album_leaves_the_feed_its_tracks_stay(manager_client, artist, album, alice):
    artist_follow(user=alice, artist_id=artist.pk)
    track = factories.TrackFactory(artist=artist, album=album)
    feed_publish_track(track_id=track.pk, released_at=datetime(2026, 11, 1, tzinfo=UTC))

    _hide_album(manager_client, album)
    kinds = [item["kind"] for item in client_for(alice).get("/api/me/feed/").json()["results"]]

    assert kinds == ["track"]
    assert Track.objects.playable().filter(pk=track.pk).exists()


def test_a_bad_is_hidden_is_a_400_naming_it(manager_client, album):
    response = manager_client.patch(
        f"/api/albums/{album.pk}/", {"is_hidden": "perhaps"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["is_hidden"]
