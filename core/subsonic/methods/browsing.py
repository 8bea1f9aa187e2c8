"""Browsing by tags (getArtists, getArtist, getAlbum, getSong, getGenres) and by folders
(getIndexes, getMusicDirectory), getTopSongs."""

from django.db.models import F
from django.http import HttpResponse

from core.subsonic import artist_index, ids, payloads, queries
from core.subsonic.envelope import SubsonicError
from core.subsonic.registry import Call, method

TOP_SONGS_MAX = 500


def _index_answer(call: Call, method: str) -> HttpResponse:
    fmt = (call.params.get("f") or "xml").lower()
    callback = call.params.get("callback") or ""
    return artist_index.answer(method, fmt, callback, queries.starred_artists(call.user))


@method("getArtists")
def get_artists(call: Call) -> HttpResponse:
    return _index_answer(call, "getArtists")


@method("getIndexes")
def get_indexes(call: Call) -> HttpResponse:
    return _index_answer(call, "getIndexes")


def _artist(call: Call, artist_pk: int):
    artist = queries.artists(call.user).filter(pk=artist_pk).first()
    if artist is None:
        raise SubsonicError(SubsonicError.NOT_FOUND, "Artist not found.")
    return artist


def _album(call: Call, album_pk: int):
    album = queries.albums(call.user).filter(pk=album_pk).first()
    if album is None:
        raise SubsonicError(SubsonicError.NOT_FOUND, "Album not found.")
    return album


def _album_songs(call: Call, album_pk: int) -> list[dict]:
    tracks = queries.songs(call.user).filter(album_id=album_pk)
    tracks = tracks.order_by(F("track_number").asc(nulls_last=True), "title", "id")
    return [payloads.song(track) for track in tracks]


@method("getArtist")
def get_artist(call: Call) -> dict:
    artist = _artist(call, ids.parse_kind(call.params.require("id"), "artist"))
    albums = queries.albums(call.user).filter(artist=artist).order_by("year", "title", "id")
    return {"artist": {**payloads.artist(artist), "album": [payloads.album(a) for a in albums]}}


@method("getAlbum")
def get_album(call: Call) -> dict:
    album = _album(call, ids.parse_kind(call.params.require("id"), "album"))
    return {"album": {**payloads.album(album), "song": _album_songs(call, album.pk)}}


@method("getSong")
def get_song(call: Call) -> dict:
    kind, pk = ids.parse(call.params.require("id"))
    track = queries.songs(call.user).filter(pk=pk).first() if kind == "track" else None
    if track is None:
        raise SubsonicError(SubsonicError.NOT_FOUND, "Song not found.")
    return {"song": payloads.song(track)}


@method("getMusicDirectory")
def get_music_directory(call: Call) -> dict:
    kind, pk = ids.parse(call.params.require("id"))
    if kind == "artist":
        artist = _artist(call, pk)
        albums = queries.albums(call.user).filter(artist=artist).order_by("year", "title", "id")
        directory = {
            "id": ids.artist_id(artist.pk),
            "name": artist.name,
            "starred": artist.starred_at,
            "child": [payloads.album_dir(a) for a in albums],
        }
    elif kind == "album":
        album = _album(call, pk)
        directory = {
            "id": ids.album_id(album.pk),
            "parent": ids.artist_id(album.artist_id),
            "name": album.title,
            "starred": album.starred_at,
            **payloads.ratings(album),
            "child": _album_songs(call, album.pk),
        }
    else:
        raise SubsonicError(SubsonicError.NOT_FOUND, "Directory not found.")
    return {"directory": directory}


@method("getGenres")
def get_genres(call: Call) -> dict:
    return {
        "genres": {
            "genre": [
                {"songCount": g.track_count, "albumCount": g.album_count, "value": g.name}
                for g in queries.genres()
            ]
        }
    }


@method("getTopSongs")
def get_top_songs(call: Call) -> dict:
    name = call.params.require("artist")
    count = call.params.get_int("count", 50, maximum=TOP_SONGS_MAX)
    tracks = (
        queries.songs(call.user)
        .filter(artist__name__iexact=name)
        .order_by("-listen_count", "title", "id")[:count]
    )
    return {"topSongs": {"song": [payloads.song(track) for track in tracks]}}
