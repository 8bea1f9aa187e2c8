"""Browsing: artists (indexed, articles ignored), folders, albums in track order, songs with
every child field, genres, top songs; hidden tracks never appear."""

import pytest

from core.catalog.models import Track
from core.library.models import AlbumFavorite, Favorite
from core.processing.models import TrackMedia
from tests import factories

pytestmark = pytest.mark.django_db


def test_artists_are_indexed_by_letter_ignoring_articles(alice_sonic, library):
    artists = alice_sonic.ok("getArtists")["artists"]

    assert artists["ignoredArticles"] == "The El La Los Las Le Les"
    index = {entry["name"]: [a["name"] for a in entry["artist"]] for entry in artists["index"]}
    assert index == {"A": ["ABBA"], "B": ["The Beatles"]}
    beatles = artists["index"][1]["artist"][0]
    assert beatles["albumCount"] == 2
    assert beatles["id"] == f"ar-{library['artists']['beatles'].pk}"


def test_indexes_answer_in_xml_too(alice_sonic, library):
    root = alice_sonic.xml("getIndexes")

    names = [a.get("name") for a in root.iter("{http://subsonic.org/restapi}artist")]
    assert names == ["ABBA", "The Beatles"]


def test_folder_mode_walks_artist_then_album_then_songs(alice_sonic, library):
    beatles = library["artists"]["beatles"]
    artist_dir = alice_sonic.ok("getMusicDirectory", id=f"ar-{beatles.pk}")["directory"]
    assert [c["title"] for c in artist_dir["child"]] == ["Help!", "Abbey Road"]
    assert all(c["isDir"] for c in artist_dir["child"])

    album_dir = alice_sonic.ok("getMusicDirectory", id=artist_dir["child"][1]["id"])["directory"]

    assert [c["title"] for c in album_dir["child"]] == ["Come Together", "Something"]
    assert album_dir["parent"] == f"ar-{beatles.pk}"


def test_an_album_lists_its_songs_in_track_order_with_totals(alice_sonic, library):
    album = alice_sonic.ok("getAlbum", id=f"al-{library['albums']['abbey'].pk}")["album"]

    assert [s["track"] for s in album["song"]] == [1, 2]
    assert album["songCount"] == 2
    assert album["duration"] == 259 + 182
    assert album["year"] == 1969
    assert "created" in album


def test_hidden_tracks_never_appear(alice_sonic, library):
    album = alice_sonic.ok("getAlbum", id=f"al-{library['albums']['arrival'].pk}")["album"]

    assert [s["title"] for s in album["song"]] == ["Dancing Queen", "Money, Money, Money"]
    hidden = library["tracks"]["hidden"]
    assert alice_sonic.json("getSong", id=str(hidden.pk))["error"]["code"] == 70


def test_a_song_carries_every_child_field(alice, alice_sonic, library):
    track = library["tracks"]["something"]
    TrackMedia.objects.create(track=track, bitrate=320_000, replay_gain_db=-3.5, true_peak_db=-1.0)
    Favorite.objects.create(user=alice, track=track)

    song = alice_sonic.ok("getSong", id=str(track.pk))["song"]

    assert song["title"] == "Something"
    assert song["album"] == "Abbey Road"
    assert song["artist"] == "The Beatles"
    assert song["track"] == 2
    assert song["year"] == 2020
    assert song["genre"] == "Rock"
    assert song["coverArt"] == f"al-{track.album_id}"
    assert song["size"] == track.size
    assert song["contentType"] == "audio/mpeg"
    assert song["suffix"] == "mp3"
    assert song["duration"] == 182
    assert song["bitRate"] == 320
    assert song["albumId"] == f"al-{track.album_id}"
    assert song["artistId"] == f"ar-{track.artist_id}"
    assert song["playCount"] == 0
    assert "starred" in song
    assert song["replayGain"]["trackGain"] == -3.5
    assert song["replayGain"]["trackPeak"] == pytest.approx(0.891251, rel=1e-4)


def test_ids_are_strings_in_json(alice_sonic, library):
    song = alice_sonic.ok("getSong", id=str(library["tracks"]["help"].pk))["song"]

    assert isinstance(song["id"], str)
    assert isinstance(song["albumId"], str)


def test_an_artist_lists_its_albums(alice, alice_sonic, library):
    AlbumFavorite.objects.create(user=alice, album=library["albums"]["help"])
    artist = alice_sonic.ok("getArtist", id=f"ar-{library['artists']['beatles'].pk}")["artist"]

    assert [a["name"] for a in artist["album"]] == ["Help!", "Abbey Road"]
    assert "starred" in artist["album"][0]
    assert "starred" not in artist["album"][1]


def test_genres_count_playable_songs_and_albums(alice_sonic, library):
    genres = alice_sonic.ok("getGenres")["genres"]["genre"]

    assert genres == [
        {"songCount": 2, "albumCount": 1, "value": "Pop"},
        {"songCount": 3, "albumCount": 2, "value": "Rock"},
    ]


def test_top_songs_are_the_most_listened(alice_sonic, library):
    tracks = library["tracks"]
    tracks["something"].listen_count = 5
    tracks["something"].save()

    songs = alice_sonic.ok("getTopSongs", artist="The Beatles")["topSongs"]["song"]

    assert songs[0]["title"] == "Something"


def test_unknown_ids_are_error_70(alice_sonic, library):
    assert alice_sonic.json("getAlbum", id="al-999999")["error"]["code"] == 70
    assert alice_sonic.json("getArtist", id="nonsense")["error"]["code"] == 70
    assert (
        alice_sonic.json("getMusicDirectory", id="al-99999999999999999999")["error"]["code"] == 70
    )


def test_user_and_music_folders(alice_sonic, library):
    user = alice_sonic.ok("getUser", username="alice")["user"]
    assert user["streamRole"] is True and user["adminRole"] is False
    assert alice_sonic.json("getUser", username="bob")["error"]["code"] == 50
    assert alice_sonic.ok("getLicense")["license"]["valid"] is True


def _index_names(sonic, name: str = "getArtists") -> list[str]:
    key = "artists" if name == "getArtists" else "indexes"
    return [a["name"] for e in sonic.ok(name)[key]["index"] for a in e["artist"]]


def test_the_artist_index_follows_every_change_at_once(alice_sonic, bob_sonic, library):
    beatles = library["artists"]["beatles"]
    assert _index_names(alice_sonic) == ["ABBA", "The Beatles"]
    assert _index_names(alice_sonic) == ["ABBA", "The Beatles"]  # the kept answer

    factories.TrackFactory(artist=factories.ArtistFactory(name="Cream"))
    assert _index_names(alice_sonic) == ["ABBA", "The Beatles", "Cream"]

    type(beatles).objects.filter(pk=beatles.pk).update(name="Beatles, The")
    assert _index_names(alice_sonic) == ["ABBA", "Beatles, The", "Cream"]

    Track.objects.filter(artist__name="ABBA").update(is_hidden=True)
    assert _index_names(alice_sonic) == ["Beatles, The", "Cream"]
    assert _index_names(alice_sonic, "getIndexes") == ["Beatles, The", "Cream"]


def test_the_artist_index_shows_each_listener_their_own_stars(alice_sonic, bob_sonic, library):
    beatles = library["artists"]["beatles"]
    bob_sonic.ok("getArtists")
    alice_sonic.ok("star", artistId=f"ar-{beatles.pk}")

    def starred(sonic) -> set[str]:
        index = sonic.ok("getArtists")["artists"]["index"]
        return {a["name"] for e in index for a in e["artist"] if "starred" in a}

    assert starred(alice_sonic) == {"The Beatles"}
    assert starred(bob_sonic) == set()
    alice_sonic.ok("unstar", artistId=f"ar-{beatles.pk}")
    assert starred(alice_sonic) == set()
