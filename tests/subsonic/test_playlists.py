"""Playlists through Subsonic: create (and replace with playlistId), update with removals
before additions, delete; each edit moves the snapshot; other users' private lists are 70."""

import pytest

from core.playlists.models import Playlist
from tests import factories

pytestmark = pytest.mark.django_db


def _titles(sonic, playlist_id: str) -> list[str]:
    return [e["title"] for e in sonic.ok("getPlaylist", id=playlist_id)["playlist"]["entry"]]


def test_create_a_playlist_with_songs(alice, alice_sonic, library):
    t = library["tracks"]

    playlist = alice_sonic.ok(
        "createPlaylist", name="Road trip", songId=[str(t["help"].pk), str(t["money"].pk)]
    )["playlist"]

    assert playlist["name"] == "Road trip"
    assert playlist["owner"] == "alice"
    assert playlist["songCount"] == 2
    assert [e["title"] for e in playlist["entry"]] == ["Help!", "Money, Money, Money"]


def test_create_with_playlist_id_replaces_the_songs_and_moves_the_snapshot(alice_sonic, library):
    t = library["tracks"]
    created = alice_sonic.ok("createPlaylist", name="Mix", songId=str(t["help"].pk))["playlist"]
    before = Playlist.objects.get(pk=created["id"]).snapshot_id

    alice_sonic.ok(
        "createPlaylist",
        playlistId=created["id"],
        songId=[str(t["money"].pk), str(t["something"].pk)],
    )

    assert _titles(alice_sonic, created["id"]) == ["Money, Money, Money", "Something"]
    assert Playlist.objects.get(pk=created["id"]).snapshot_id != before


def test_update_removes_by_former_index_before_adding(alice_sonic, library):
    t = library["tracks"]
    songs = [str(t[k].pk) for k in ("help", "money", "something", "dancing_queen")]
    created = alice_sonic.ok("createPlaylist", name="Mix", songId=songs)["playlist"]

    alice_sonic.ok(
        "updatePlaylist",
        playlistId=created["id"],
        name="Renamed",
        comment="For the car",
        songIndexToRemove=["0", "2"],
        songIdToAdd=str(t["come_together"].pk),
    )

    detail = alice_sonic.ok("getPlaylist", id=created["id"])["playlist"]
    assert [e["title"] for e in detail["entry"]] == [
        "Money, Money, Money",
        "Dancing Queen",
        "Come Together",
    ]
    assert (detail["name"], detail["comment"]) == ("Renamed", "For the car")


def test_an_index_past_the_end_changes_nothing(alice_sonic, library):
    created = alice_sonic.ok(
        "createPlaylist", name="Mix", songId=str(library["tracks"]["help"].pk)
    )["playlist"]

    body = alice_sonic.json("updatePlaylist", playlistId=created["id"], songIndexToRemove="5")

    assert body["status"] == "failed"
    assert _titles(alice_sonic, created["id"]) == ["Help!"]


def test_delete_a_playlist(alice_sonic, library):
    created = alice_sonic.ok("createPlaylist", name="Gone")["playlist"]

    alice_sonic.ok("deletePlaylist", id=created["id"])

    assert not Playlist.objects.filter(pk=created["id"]).exists()


def test_another_users_private_playlist_is_not_found(alice, bob_sonic, library):
    private = factories.PlaylistFactory(owner=alice, name="Secret")
    factories.PlaylistFactory(owner=alice, name="Shared", is_public=True)

    assert bob_sonic.json("getPlaylist", id=str(private.pk))["error"]["code"] == 70
    assert bob_sonic.json("deletePlaylist", id=str(private.pk))["error"]["code"] == 70
    names = [p["name"] for p in bob_sonic.ok("getPlaylists")["playlists"]["playlist"]]
    assert names == ["Shared"]


def test_another_users_public_playlist_is_read_only(alice, bob_sonic, library):
    public = factories.PlaylistFactory(owner=alice, name="Shared", is_public=True)

    assert bob_sonic.ok("getPlaylist", id=str(public.pk))["playlist"]["name"] == "Shared"
    body = bob_sonic.json("updatePlaylist", playlistId=str(public.pk), name="Mine")
    assert body["error"]["code"] == 50
    assert bob_sonic.json("deletePlaylist", id=str(public.pk))["error"]["code"] == 50


def test_playlists_answer_in_xml(alice_sonic, library):
    alice_sonic.ok("createPlaylist", name="Mix", songId=str(library["tracks"]["help"].pk))

    root = alice_sonic.xml("getPlaylists")

    assert root.find("{http://subsonic.org/restapi}playlists")[0].get("name") == "Mix"


def test_play_queue_resumes_on_another_device(alice, alice_secret, alice_sonic, library):
    from tests.subsonic.conftest import Subsonic

    t = library["tracks"]
    alice_sonic.ok(
        "savePlayQueue",
        id=[str(t["help"].pk), str(t["money"].pk)],
        current=str(t["money"].pk),
        position=61000,
    )

    queue = Subsonic({"apiKey": alice_secret}).ok("getPlayQueue")["playQueue"]

    assert [e["title"] for e in queue["entry"]] == ["Help!", "Money, Money, Money"]
    assert (queue["current"], queue["position"]) == (str(t["money"].pk), 61000)
    assert queue["changedBy"] == "tests"


def test_play_queue_is_ones_own(alice_sonic, bob_sonic, library):
    alice_sonic.ok("savePlayQueue", id=str(library["tracks"]["help"].pk))

    assert "playQueue" not in bob_sonic.ok("getPlayQueue")
