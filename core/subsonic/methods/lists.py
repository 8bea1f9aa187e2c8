"""Lists and searches: getAlbumList(2), getRandomSongs, getSongsByGenre, search2/3,
getStarred(2), getNowPlaying."""

from django.utils import timezone

from core.library.scrobble import now_playing_get
from core.subsonic import payloads, queries
from core.subsonic.envelope import SubsonicError
from core.subsonic.methods import ratings
from core.subsonic.registry import Call, method

LIST_MAX = 500
SEARCH_DEFAULTS = {"artist": 20, "album": 20, "song": 20}
ALBUM_LIST_TYPES = (
    "random",
    "newest",
    "highest",
    "frequent",
    "recent",
    "alphabeticalByName",
    "alphabeticalByArtist",
    "starred",
    "byYear",
    "byGenre",
)


def _album_list(call: Call):
    params = call.params
    kind = params.require("type")
    if kind not in ALBUM_LIST_TYPES:
        raise SubsonicError(SubsonicError.GENERIC, f"Unknown list type: {kind[:40]}")
    size = params.get_int("size", 10, minimum=0, maximum=LIST_MAX)
    offset = params.get_int("offset", 0)
    albums = queries.albums(call.user)
    if kind == "random":
        albums = albums.order_by("?")
    elif kind == "newest":
        albums = albums.order_by("-created_at", "-id")
    elif kind == "highest":
        albums = ratings.highest_rated_albums(call.user, albums)
    elif kind == "frequent":
        albums = albums.filter(listen_count__gt=0).order_by("-listen_count", "id")
    elif kind == "recent":
        albums = albums.annotate(last_played=queries.last_played_on_album(call.user))
        albums = albums.filter(last_played__isnull=False).order_by("-last_played", "id")
    elif kind == "alphabeticalByName":
        albums = albums.order_by("title", "id")
    elif kind == "alphabeticalByArtist":
        albums = albums.order_by("artist__name", "title", "id")
    elif kind == "starred":
        albums = albums.filter(starred_at__isnull=False).order_by("-starred_at", "id")
    elif kind == "byYear":
        start = int(params.require("fromYear")) if params.get("fromYear", "").isdigit() else None
        end = int(params.require("toYear")) if params.get("toYear", "").isdigit() else None
        if start is None or end is None:
            raise SubsonicError(
                SubsonicError.MISSING_PARAMETER, "Required parameters: fromYear and toYear (years)"
            )
        albums = albums.filter(year__gte=min(start, end), year__lte=max(start, end))
        # fromYear after toYear lists the years backwards (the spec's rule).
        year = "year" if start <= end else "-year"
        albums = albums.order_by(year, "title", "id")
    else:  # byGenre
        genre = params.require("genre")
        albums = albums.filter(pk__in=queries.album_ids_of_genre(genre)).order_by("title", "id")
    return albums[offset : offset + size]


@method("getAlbumList2")
def get_album_list2(call: Call) -> dict:
    return {"albumList2": {"album": [payloads.album(a) for a in _album_list(call)]}}


@method("getAlbumList")
def get_album_list(call: Call) -> dict:
    return {"albumList": {"album": [payloads.album_dir(a) for a in _album_list(call)]}}


@method("getRandomSongs")
def get_random_songs(call: Call) -> dict:
    params = call.params
    size = params.get_int("size", 10, maximum=LIST_MAX)
    tracks = queries.songs(call.user)
    if genre := params.get("genre"):
        tracks = tracks.filter(genres__name__iexact=genre)
    if (start := params.get_int("fromYear")) is not None:
        tracks = tracks.filter(year__gte=start)
    if (end := params.get_int("toYear")) is not None:
        tracks = tracks.filter(year__lte=end)
    return {"randomSongs": {"song": [payloads.song(t) for t in tracks.order_by("?")[:size]]}}


@method("getSongsByGenre")
def get_songs_by_genre(call: Call) -> dict:
    params = call.params
    genre = params.require("genre")
    count = params.get_int("count", 10, maximum=LIST_MAX)
    offset = params.get_int("offset", 0)
    tracks = queries.songs(call.user).filter(genres__name__iexact=genre)
    tracks = tracks.order_by("artist__name", "album__title", "track_number", "id")
    return {"songsByGenre": {"song": [payloads.song(t) for t in tracks[offset : offset + count]]}}


def _search(call: Call) -> tuple[list, list, list]:
    """Artists, albums and songs matching `query`, each paged; an empty query (or "") matches
    everything, which apps use to sync the whole library."""
    params = call.params
    term = (params.get("query") or "").strip().strip('"').strip()
    pages = {}
    for kind, default in SEARCH_DEFAULTS.items():
        count = params.get_int(f"{kind}Count", default, maximum=LIST_MAX)
        offset = params.get_int(f"{kind}Offset", 0)
        pages[kind] = slice(offset, offset + count)
    artists = queries.artists(call.user).order_by("name", "id")
    albums = queries.albums(call.user).order_by("title", "id")
    songs = queries.songs(call.user).order_by("title", "id")
    if term:
        artists = artists.filter(name__icontains=term)
        albums = albums.filter(title__icontains=term)
        songs = songs.search(term)
    return (
        list(artists[pages["artist"]]) if pages["artist"].stop > pages["artist"].start else [],
        list(albums[pages["album"]]) if pages["album"].stop > pages["album"].start else [],
        list(songs[pages["song"]]) if pages["song"].stop > pages["song"].start else [],
    )


@method("search3")
def search3(call: Call) -> dict:
    artists, albums, songs = _search(call)
    return {
        "searchResult3": {
            "artist": [payloads.artist(a) for a in artists],
            "album": [payloads.album(a) for a in albums],
            "song": [payloads.song(t) for t in songs],
        }
    }


@method("search2")
def search2(call: Call) -> dict:
    artists, albums, songs = _search(call)
    return {
        "searchResult2": {
            "artist": [payloads.artist_dir(a) for a in artists],
            "album": [payloads.album_dir(a) for a in albums],
            "song": [payloads.song(t) for t in songs],
        }
    }


def _starred(call: Call) -> tuple[list, list, list]:
    user = call.user
    artists = queries.artists(user).filter(starred_at__isnull=False).order_by("-starred_at")
    albums = queries.albums(user).filter(starred_at__isnull=False).order_by("-starred_at")
    songs = queries.songs(user).filter(starred_at__isnull=False).order_by("-starred_at")
    return list(artists), list(albums), list(songs)


@method("getStarred2")
def get_starred2(call: Call) -> dict:
    artists, albums, songs = _starred(call)
    return {
        "starred2": {
            "artist": [payloads.artist(a) for a in artists],
            "album": [payloads.album(a) for a in albums],
            "song": [payloads.song(t) for t in songs],
        }
    }


@method("getStarred")
def get_starred(call: Call) -> dict:
    artists, albums, songs = _starred(call)
    return {
        "starred": {
            "artist": [payloads.artist_dir(a) for a in artists],
            "album": [payloads.album_dir(a) for a in albums],
            "song": [payloads.song(t) for t in songs],
        }
    }


@method("getNowPlaying")
def get_now_playing(call: Call) -> dict:
    entries = now_playing_get(user=call.user)
    tracks = queries.songs(call.user).in_bulk([entry.track_id for entry in entries])
    now = timezone.now()
    return {
        "nowPlaying": {
            "entry": [
                {
                    **payloads.song(tracks[entry.track_id]),
                    "username": call.user.username,
                    "minutesAgo": int((now - entry.since).total_seconds() // 60),
                    "playerId": 0,
                    "playerName": entry.client,
                }
                for entry in entries
                if entry.track_id in tracks
            ]
        }
    }
