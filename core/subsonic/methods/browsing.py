"""Browsing by tags (getArtists, getArtist, getAlbum, getSong, getGenres) and by folders
(getIndexes, getMusicDirectory), getTopSongs."""

import hashlib
import json
import re
from operator import itemgetter

from django.core.cache import cache
from django.db.models import F, Max
from django.http import HttpResponse

from core.catalog.models import Track
from core.subsonic import ids, payloads, queries
from core.subsonic.envelope import SubsonicError, render
from core.subsonic.registry import Call, method

IGNORED_ARTICLES = ("The", "El", "La", "Los", "Las", "Le", "Les")
TOP_SONGS_MAX = 500
INDEX_CACHE_SECONDS = 300


# An ignored article and the space after it, at the start of a name.
_ARTICLE = re.compile("(?:{}) ".format("|".join(IGNORED_ARTICLES)), re.IGNORECASE)


def _sort_name(name: str) -> str:
    article = _ARTICLE.match(name)
    return name[article.end() :] if article else name


def _index_letter(sort_name: str) -> str:
    first = sort_name[:1].upper()
    return first if first.isalpha() else "#"


def _indexed(starred: dict, render) -> list[dict]:
    """Every artist of the index (queries.artist_index_rows) by letter, in name order, each
    rendered from its values and `starred` (when the caller starred it, by id). Each name's
    sort key is made once: 10^5 artists are sorted per build."""
    keyed = []
    for pk, name, album_count in queries.artist_index_rows():
        sort_name = _sort_name(name)
        keyed.append((sort_name.casefold(), _index_letter(sort_name), pk, name, album_count))
    keyed.sort(key=itemgetter(0))
    groups: dict[str, list] = {}
    for _, letter, pk, name, album_count in keyed:
        groups.setdefault(letter, []).append(render(pk, name, album_count, starred.get(pk)))
    return [{"name": letter, "artist": groups[letter]} for letter in sorted(groups)]


def _last_modified_ms() -> int:
    latest = Track.objects.playable().aggregate(latest=Max("updated_at"))["latest"]
    return int(latest.timestamp() * 1000) if latest else 0


def _index_answer(call: Call, name: str, build) -> HttpResponse:
    """The rendered answer of getArtists or getIndexes: every artist, so built once per state
    of the artist index (its version, the caller's starred artists, the format) and kept in the
    cache for INDEX_CACHE_SECONDS at most (docs/subsonic.md)."""
    fmt = (call.params.get("f") or "xml").lower()
    callback = call.params.get("callback") or ""
    version = queries.artist_index_version()
    starred = queries.starred_artists(call.user)
    if version is None:
        return render(fmt, callback, build(starred))
    state = json.dumps([name, fmt, callback, version, sorted(starred.items())], default=str)
    key = "subsonic:index:" + hashlib.sha256(state.encode()).hexdigest()
    if (kept := cache.get(key)) is not None:
        content, content_type = kept
        return HttpResponse(content, content_type=content_type)
    response = render(fmt, callback, build(starred))
    cache.set(key, (response.content, response["Content-Type"]), INDEX_CACHE_SECONDS)
    return response


@method("getArtists")
def get_artists(call: Call) -> HttpResponse:
    def build(starred: dict) -> dict:
        return {
            "artists": {
                "ignoredArticles": " ".join(IGNORED_ARTICLES),
                "lastModified": _last_modified_ms(),
                "index": _indexed(starred, payloads.artist_of_row),
            }
        }

    return _index_answer(call, "getArtists", build)


@method("getIndexes")
def get_indexes(call: Call) -> HttpResponse:
    def build(starred: dict) -> dict:
        return {
            "indexes": {
                "ignoredArticles": " ".join(IGNORED_ARTICLES),
                "lastModified": _last_modified_ms(),
                "index": _indexed(starred, payloads.artist_dir_of_row),
            }
        }

    return _index_answer(call, "getIndexes", build)


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
