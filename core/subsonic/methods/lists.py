"""Lists and searches: getAlbumList(2), getRandomSongs, getSongsByGenre, search2/3,
getStarred(2), getNowPlaying."""

from django.utils import timezone

from core.catalog.models import Album, Artist, Track
from core.catalog.querysets import albums_visible_to
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
        ranked = queries.most_listened_album_ids(offset=offset, size=size)
        return queries.in_order(albums, ranked)[:size]
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
    # The page's ids first (its ordering and filters only), then its rows with their payloads'
    # annotations: the per-album subqueries run for the page alone.
    ids = list(albums.values_list("pk", flat=True)[offset : offset + size])
    return queries.in_order(queries.albums(call.user), ids)


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


def _page(ids, page: slice) -> list[int]:
    return list(ids[page]) if page.stop > page.start else []


def _search(call: Call) -> tuple[list, list, list]:
    """Artists, albums and songs matching `query`, each paged: a page's ids first (a narrow
    query the indexes answer), then its rows with their payloads' annotations. An empty query
    (or "") matches everything, in the order items were added (id), which apps use to sync the
    whole library: a page stays put when items are added."""
    params = call.params
    term = (params.get("query") or "").strip().strip('"').strip()
    pages = {}
    for kind, default in SEARCH_DEFAULTS.items():
        count = params.get_int(f"{kind}Count", default, maximum=LIST_MAX)
        offset = params.get_int(f"{kind}Offset", 0)
        pages[kind] = slice(offset, offset + count)
    artists = Artist.objects.filter(playable_totals__track_count__gt=0)
    albums = albums_visible_to(Album.objects.filter(playable_totals__track_count__gt=0), call.user)
    songs = Track.objects.playable()
    if term:
        artists = artists.filter(name__icontains=term).order_by("name", "id")
        albums = albums.filter(title__icontains=term).order_by("title", "id")
        songs = songs.search(term).order_by("title", "id")
    else:
        artists, albums, songs = artists.order_by("id"), albums.order_by("id"), songs.order_by("id")
    ids = {
        "artist": _page(artists.values_list("pk", flat=True), pages["artist"]),
        "album": _page(albums.values_list("pk", flat=True), pages["album"]),
        "song": _page(songs.values_list("pk", flat=True), pages["song"]),
    }
    return (
        queries.in_order(queries.artists(call.user), ids["artist"]),
        queries.in_order(queries.albums(call.user), ids["album"]),
        queries.in_order(queries.songs(call.user), ids["song"]),
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
