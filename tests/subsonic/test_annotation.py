"""star/unstar (songs, albums, artists; shown in the REST API too), scrobble (now playing, and
counted listens deduplicated against a REST stream of the same play), setRating."""

import time

import pytest

from core.library.models import AlbumFavorite, ArtistFavorite, Favorite, Play
from core.lyrics.models import LyricsSource, TrackLyrics
from core.ratings.models import AlbumRating, TrackRating
from core.recommendations.models import ArtistNeighbour, TrackNeighbour

pytestmark = pytest.mark.django_db


def test_star_and_unstar_songs_albums_and_artists(alice, alice_sonic, library):
    song = library["tracks"]["help"]
    album, artist = library["albums"]["arrival"], library["artists"]["abba"]

    alice_sonic.ok("star", id=[str(song.pk)], albumId=f"al-{album.pk}", artistId=f"ar-{artist.pk}")
    alice_sonic.ok("star", id=str(song.pk))  # again: harmless

    assert Favorite.objects.filter(user=alice, track=song).count() == 1
    assert AlbumFavorite.objects.filter(user=alice, album=album).exists()
    assert ArtistFavorite.objects.filter(user=alice, artist=artist).exists()

    alice_sonic.ok("unstar", id=str(song.pk), albumId=f"al-{album.pk}", artistId=f"ar-{artist.pk}")

    assert not Favorite.objects.filter(user=alice).exists()
    assert not AlbumFavorite.objects.filter(user=alice).exists()
    assert not ArtistFavorite.objects.filter(user=alice).exists()


def test_starring_several_songs_at_once(alice, alice_sonic, library):
    tracks = library["tracks"]

    alice_sonic.ok("star", id=[str(tracks["help"].pk), str(tracks["money"].pk)])

    assert Favorite.objects.filter(user=alice).count() == 2


def test_starring_a_hidden_song_is_error_70(alice_sonic, library):
    assert alice_sonic.json("star", id=str(library["tracks"]["hidden"].pk))["error"]["code"] == 70


def test_album_and_artist_stars_show_in_the_rest_api(alice_sonic, alice_client, library):
    album, artist = library["albums"]["arrival"], library["artists"]["abba"]
    alice_sonic.ok("star", albumId=f"al-{album.pk}", artistId=f"ar-{artist.pk}")

    assert alice_client.get(f"/api/albums/{album.pk}/").json()["is_favorite"] is True
    assert alice_client.get(f"/api/artists/{artist.pk}/").json()["is_favorite"] is True
    assert [a["id"] for a in alice_client.get("/api/favorites/albums/").json()["results"]] == [
        album.pk
    ]


def test_rest_favorites_of_albums_toggle_and_show_in_subsonic(alice_sonic, alice_client, library):
    album = library["albums"]["help"]

    response = alice_client.post(f"/api/albums/{album.pk}/toggle_favorite/")

    assert response.json() == {"is_favorite": True}
    starred = alice_sonic.ok("getStarred2")["starred2"]
    assert [a["name"] for a in starred["album"]] == ["Help!"]
    assert alice_client.post(f"/api/albums/{album.pk}/toggle_favorite/").json() == {
        "is_favorite": False
    }


def test_a_scrobble_records_a_counted_listen(alice, alice_sonic, library):
    track = library["tracks"]["something"]

    alice_sonic.ok("scrobble", id=str(track.pk), time=int(time.time() * 1000) - 200_000)

    play = Play.objects.get(user=alice, track=track)
    assert play.counted is True
    track.refresh_from_db()
    assert track.listen_count == 1


def test_a_repeated_scrobble_of_one_play_counts_once(alice, alice_sonic, library):
    track = library["tracks"]["something"]
    at = int(time.time() * 1000) - 200_000

    alice_sonic.ok("scrobble", id=str(track.pk), time=at)
    alice_sonic.ok("scrobble", id=str(track.pk), time=at)

    assert Play.objects.filter(user=alice, track=track).count() == 1
    track.refresh_from_db()
    assert track.listen_count == 1


def test_a_scrobble_counts_the_entry_a_rest_stream_opened(
    alice, alice_client, alice_sonic, library
):
    track = library["tracks"]["something"]
    grant = alice_client.post(f"/api/tracks/{track.pk}/stream/").json()

    alice_sonic.ok("scrobble", id=str(track.pk), time=int(time.time() * 1000))

    assert list(Play.objects.filter(user=alice).values_list("pk", "counted")) == [
        (grant["play_id"], True)
    ]


def test_now_playing_is_ones_own_and_not_a_listen(alice, alice_sonic, bob_sonic, library):
    track = library["tracks"]["help"]

    alice_sonic.ok("scrobble", id=str(track.pk), submission="false")

    entries = alice_sonic.ok("getNowPlaying")["nowPlaying"]["entry"]
    assert [(e["title"], e["username"], e["minutesAgo"]) for e in entries] == [
        ("Help!", "alice", 0)
    ]
    assert bob_sonic.ok("getNowPlaying")["nowPlaying"]["entry"] == []
    assert not Play.objects.exists()


def test_a_scrobble_in_the_future_is_refused(alice_sonic, library):
    future = int(time.time() * 1000) + 3_600_000
    body = alice_sonic.json("scrobble", id=str(library["tracks"]["help"].pk), time=future)

    assert body["status"] == "failed"


def test_set_rating_rates_a_song_and_zero_clears_it(alice, alice_sonic, library):
    track = library["tracks"]["help"]

    alice_sonic.ok("setRating", id=str(track.pk), rating=4)
    rating = TrackRating.objects.get(user=alice, track=track)
    track.refresh_from_db()
    assert (rating.stars, track.rating_count, track.rating_total) == (4, 1, 4)

    alice_sonic.ok("setRating", id=str(track.pk), rating=0)
    track.refresh_from_db()
    assert not TrackRating.objects.filter(user=alice).exists()
    assert (track.rating_count, track.rating_total) == (0, 0)


def test_rated_albums_are_the_highest_list_best_first(alice, alice_sonic, bob_sonic, library):
    album = library["tracks"]["help"].album
    alice_sonic.ok("setRating", id=f"al-{album.pk}", rating=5)

    mine = alice_sonic.ok("getAlbumList2", type="highest")["albumList2"]["album"]
    others = bob_sonic.ok("getAlbumList2", type="highest")["albumList2"]

    assert [entry["id"] for entry in mine] == [f"al-{album.pk}"]
    assert AlbumRating.objects.get(user=alice, album=album).stars == 5
    assert others.get("album", []) == []


def test_a_hidden_album_cannot_be_rated_by_a_listener_who_cannot_see_it(alice_sonic, library):
    album = library["tracks"]["help"].album
    album.is_hidden = True
    album.save(update_fields=["is_hidden"])

    body = alice_sonic.json("setRating", id=f"al-{album.pk}", rating=5)

    assert (body["status"], body["error"]["code"]) == ("failed", 70)
    assert not AlbumRating.objects.filter(album=album).exists()


def test_songs_and_albums_show_ones_own_stars_and_everyones_average(
    alice_sonic, bob_sonic, library
):
    track, album = library["tracks"]["help"], library["albums"]["help"]
    alice_sonic.ok("setRating", id=str(track.pk), rating=5)
    bob_sonic.ok("setRating", id=str(track.pk), rating=2)
    alice_sonic.ok("setRating", id=f"al-{album.pk}", rating=4)

    song = alice_sonic.ok("getSong", id=str(track.pk))["song"]
    bobs = bob_sonic.ok("getSong", id=str(track.pk))["song"]
    folder = alice_sonic.ok("getMusicDirectory", id=f"al-{album.pk}")["directory"]
    listed = alice_sonic.ok("getAlbumList", type="highest")["albumList"]["album"]
    tagged = alice_sonic.ok("getAlbum", id=f"al-{album.pk}")["album"]
    xml_song = alice_sonic.xml("getSong", id=str(track.pk))[0]

    assert (song["userRating"], song["averageRating"]) == (5, 3.5)
    assert (bobs["userRating"], bobs["averageRating"]) == (2, 3.5)
    assert (folder["userRating"], folder["averageRating"]) == (4, 4.0)
    assert folder["child"][0]["userRating"] == 5
    assert [(a["userRating"], a["averageRating"]) for a in listed] == [(4, 4.0)]
    assert tagged["userRating"] == 4  # AlbumID3 has no averageRating in the spec
    assert (xml_song.get("userRating"), xml_song.get("averageRating")) == ("5", "3.5")
    # Unrated: neither member.
    other = alice_sonic.ok("getSong", id=str(library["tracks"]["money"].pk))["song"]
    assert "userRating" not in other and "averageRating" not in other


def test_set_rating_refuses_artists_unknown_songs_and_stars_out_of_range(alice_sonic, library):
    track = library["tracks"]["help"]

    assert (
        alice_sonic.json("setRating", id=f"ar-{track.artist_id}", rating=3)["error"]["code"] == 70
    )
    assert alice_sonic.json("setRating", id="999999", rating=3)["error"]["code"] == 70
    assert alice_sonic.json("setRating", id=str(track.pk), rating=6)["status"] == "failed"
    assert alice_sonic.json("setRating", id=str(track.pk))["error"]["code"] == 10
    assert not TrackRating.objects.exists()


def test_similar_songs_come_from_the_model_then_the_artist_never_hidden(alice_sonic, library):
    tracks = library["tracks"]
    TrackNeighbour.objects.create(
        track=tracks["help"], neighbour=tracks["dancing_queen"], score=0.9
    )
    TrackNeighbour.objects.create(track=tracks["help"], neighbour=tracks["hidden"], score=0.8)

    songs = alice_sonic.ok("getSimilarSongs2", id=str(tracks["help"].pk), count=3)["similarSongs2"][
        "song"
    ]

    titles = [song["title"] for song in songs]
    assert titles[0] == "Dancing Queen"  # listened to by the same people
    assert set(titles[1:]) <= {"Something", "Come Together"}  # then the same artist's
    assert "Hidden Track" not in titles and len(titles) == 3


def test_artist_info_lists_artists_listened_to_by_the_same_people(alice_sonic, library):
    beatles, abba = library["artists"]["beatles"], library["artists"]["abba"]
    ArtistNeighbour.objects.create(artist=beatles, neighbour=abba, score=0.7)

    info = alice_sonic.ok("getArtistInfo2", id=f"ar-{beatles.pk}")["artistInfo2"]
    songs = alice_sonic.ok("getSimilarSongs", id=f"ar-{beatles.pk}")["similarSongs"]["song"]

    folder_form = alice_sonic.ok("getArtistInfo", id=f"ar-{beatles.pk}")["artistInfo"]

    assert [artist["name"] for artist in info["similarArtist"]] == [abba.name]
    assert [artist["name"] for artist in folder_form["similarArtist"]] == [abba.name]
    assert {song["artist"] for song in songs} == {abba.name}
    assert alice_sonic.json("getArtistInfo2", id="ar-999999")["error"]["code"] == 70


def test_artist_info_tells_the_biography_and_images_of_the_profile(alice_sonic, library):
    beatles = library["artists"]["beatles"]
    beatles.bio = "Four lads from Liverpool."
    beatles.image_files = {
        "64": "artists/1/64.webp",
        "512": "artists/1/512.webp",
        "256": "artists/1/256.webp",
    }
    beatles.save()

    info = alice_sonic.ok("getArtistInfo2", id=f"ar-{beatles.pk}")["artistInfo2"]
    root = alice_sonic.xml("getArtistInfo", id=f"ar-{beatles.pk}")
    bare = alice_sonic.ok("getArtistInfo2", id=f"ar-{library['artists']['abba'].pk}")

    assert info["biography"] == "Four lads from Liverpool."
    assert info["smallImageUrl"].startswith("http")
    assert [info[f"{size}ImageUrl"].rsplit("/", 1)[1] for size in ("small", "medium", "large")] == [
        "64.webp",
        "256.webp",
        "512.webp",
    ]
    [element] = root
    ns = "{http://subsonic.org/restapi}"
    assert element.find(f"{ns}biography").text == "Four lads from Liverpool."
    assert element.find(f"{ns}largeImageUrl").text.endswith("512.webp")
    # An artist without a profile: no biography, no images.
    assert set(bare["artistInfo2"]) <= {"similarArtist"}


def test_lyrics_come_from_the_lyrics_room_timed_or_plain(alice_sonic, library):
    timed, plain = library["tracks"]["help"], library["tracks"]["money"]
    TrackLyrics.objects.create(
        track=timed,
        plain="Help\nI need somebody",
        synced=[{"time_ms": 1000, "text": "Help"}, {"time_ms": 2500, "text": "I need somebody"}],
        source=LyricsSource.EDITED,
        language="en",
    )

    by_id = alice_sonic.ok("getLyricsBySongId", id=str(timed.pk))["lyricsList"]
    classic = alice_sonic.ok("getLyrics", artist=timed.artist.name, title=timed.title)["lyrics"]

    [structured] = by_id["structuredLyrics"]
    assert (structured["lang"], structured["synced"], structured["displayTitle"]) == (
        "en",
        True,
        timed.title,
    )
    assert structured["line"] == [
        {"start": 1000, "value": "Help"},
        {"start": 2500, "value": "I need somebody"},
    ]
    assert classic == {
        "artist": timed.artist.name,
        "title": timed.title,
        "value": "Help\nI need somebody",
    }
    assert alice_sonic.ok("getLyrics", artist="x", title="y")["lyrics"] == {}
    # A song without lyrics: an empty list, as the extension says.
    assert alice_sonic.ok("getLyricsBySongId", id=str(plain.pk))["lyricsList"] == {
        "structuredLyrics": []
    }


def test_lyrics_of_a_hidden_song_are_not_told(alice_sonic, library):
    track = library["tracks"]["help"]
    TrackLyrics.objects.create(track=track, plain="Secret", source=LyricsSource.EDITED)
    type(track).objects.filter(pk=track.pk).update(is_hidden=True)

    assert alice_sonic.ok("getLyricsBySongId", id=str(track.pk))["lyricsList"] == {
        "structuredLyrics": []
    }
    assert alice_sonic.ok("getLyrics", artist=track.artist.name, title=track.title)["lyrics"] == {}
