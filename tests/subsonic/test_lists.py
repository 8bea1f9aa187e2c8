"""Album lists of all ten types, random songs, songs by genre, search (an empty query pages
through everything), starred items; each list in a constant number of queries."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.catalog.models import Album, Track
from core.library.models import AlbumFavorite, ArtistFavorite, Favorite
from core.subsonic import queries
from tests import factories

pytestmark = pytest.mark.django_db


def _names(sonic, **params) -> list[str]:
    return [a["name"] for a in sonic.ok("getAlbumList2", **params)["albumList2"]["album"]]


def test_alphabetical_lists(alice_sonic, library):
    assert _names(alice_sonic, type="alphabeticalByName") == ["Abbey Road", "Arrival", "Help!"]
    assert _names(alice_sonic, type="alphabeticalByArtist") == ["Arrival", "Abbey Road", "Help!"]


def test_newest_random_and_paging(alice_sonic, library):
    assert _names(alice_sonic, type="newest") == ["Arrival", "Help!", "Abbey Road"]
    assert _names(alice_sonic, type="newest", size=1, offset=1) == ["Help!"]
    assert sorted(_names(alice_sonic, type="random")) == ["Abbey Road", "Arrival", "Help!"]


def test_frequent_and_recent(alice, alice_sonic, library):
    tracks = library["tracks"]
    tracks["help"].listen_count = 3
    tracks["help"].save()
    now = timezone.now()
    factories.PlayFactory(user=alice, track=tracks["dancing_queen"], started_at=now)
    factories.PlayFactory(user=alice, track=tracks["something"], started_at=now - timedelta(1))

    assert _names(alice_sonic, type="frequent") == ["Help!"]
    assert _names(alice_sonic, type="recent") == ["Arrival", "Abbey Road"]


def test_recent_is_ones_own(alice_sonic, bob, library):
    factories.PlayFactory(user=bob, track=library["tracks"]["help"])

    assert _names(alice_sonic, type="recent") == []


def test_by_year_and_by_genre(alice_sonic, library):
    assert _names(alice_sonic, type="byYear", fromYear=1960, toYear=1970) == ["Help!", "Abbey Road"]
    assert _names(alice_sonic, type="byYear", fromYear=1970, toYear=1960) == ["Abbey Road", "Help!"]
    assert _names(alice_sonic, type="byGenre", genre="rock") == ["Abbey Road", "Help!"]
    body = alice_sonic.json("getAlbumList2", type="byYear")
    assert body["error"]["code"] == 10


def test_starred_and_highest(alice, alice_sonic, library):
    AlbumFavorite.objects.create(user=alice, album=library["albums"]["arrival"])

    assert _names(alice_sonic, type="starred") == ["Arrival"]
    assert _names(alice_sonic, type="highest") == []


def test_an_unknown_type_and_an_oversized_page_are_refused(alice_sonic, library):
    assert alice_sonic.json("getAlbumList2", type="best")["status"] == "failed"
    assert alice_sonic.json("getAlbumList2", type="newest", size=501)["status"] == "failed"


def test_the_folder_album_list_uses_children(alice_sonic, library):
    albums = alice_sonic.ok("getAlbumList", type="alphabeticalByName")["albumList"]["album"]

    assert (albums[0]["title"], albums[0]["isDir"]) == ("Abbey Road", True)


def test_random_songs_and_songs_by_genre(alice_sonic, library):
    songs = alice_sonic.ok("getRandomSongs", size=3)["randomSongs"]["song"]
    assert len(songs) == 3
    pop = alice_sonic.ok("getRandomSongs", genre="Pop", size=50)["randomSongs"]["song"]
    assert sorted(s["title"] for s in pop) == ["Dancing Queen", "Money, Money, Money"]

    by_genre = alice_sonic.ok("getSongsByGenre", genre="Rock", count=2, offset=1)
    assert [s["title"] for s in by_genre["songsByGenre"]["song"]] == ["Something", "Help!"]


def test_search3_finds_artists_albums_and_songs(alice_sonic, library):
    result = alice_sonic.ok("search3", query="help")["searchResult3"]

    assert [a["name"] for a in result["album"]] == ["Help!"]
    assert [s["title"] for s in result["song"]] == ["Help!"]
    assert result["artist"] == []


def test_an_empty_query_pages_through_everything(alice_sonic, library):
    seen = []
    for offset in range(0, 10, 2):
        page = alice_sonic.ok(
            "search3", query='""', songCount=2, songOffset=offset, artistCount=0, albumCount=0
        )["searchResult3"]
        seen += [s["title"] for s in page["song"]]
        assert page["artist"] == [] and page["album"] == []

    assert len(seen) == 5 and len(set(seen)) == 5
    assert "Hidden Track" not in seen


def test_search2_answers_in_folder_form(alice_sonic, library):
    result = alice_sonic.ok("search2", query="abba")["searchResult2"]

    assert result["artist"] == [{"id": f"ar-{library['artists']['abba'].pk}", "name": "ABBA"}]


def test_starred_lists_are_ones_own(alice, bob, alice_sonic, library):
    Favorite.objects.create(user=alice, track=library["tracks"]["help"])
    AlbumFavorite.objects.create(user=alice, album=library["albums"]["abbey"])
    ArtistFavorite.objects.create(user=alice, artist=library["artists"]["abba"])
    Favorite.objects.create(user=bob, track=library["tracks"]["money"])

    starred = alice_sonic.ok("getStarred2")["starred2"]

    assert [s["title"] for s in starred["song"]] == ["Help!"]
    assert [a["name"] for a in starred["album"]] == ["Abbey Road"]
    assert [a["name"] for a in starred["artist"]] == ["ABBA"]
    assert [s["title"] for s in alice_sonic.ok("getStarred")["starred"]["song"]] == ["Help!"]


def _star_everything(user) -> None:
    for track in Track.objects.filter(favorites__isnull=True):
        Favorite.objects.get_or_create(user=user, track=track)
    for album in Album.objects.all():
        AlbumFavorite.objects.get_or_create(user=user, album=album)
        factories.PlayFactory(user=user, track=album.tracks.first())


def _more(library, n: int) -> None:
    genre = library["genres"]["rock"]
    for _ in range(n):
        track = factories.TrackFactory()
        track.genres.add(genre)


@pytest.mark.parametrize(
    "name,params",
    [
        ("getAlbumList2", {"type": "newest", "size": 50}),
        ("getAlbumList2", {"type": "recent", "size": 50}),
        ("getAlbumList2", {"type": "byGenre", "genre": "Rock", "size": 50}),
        ("getAlbumList", {"type": "alphabeticalByName", "size": 50}),
        ("search3", {"query": ""}),
        ("search2", {"query": "track"}),
        ("getArtists", {}),
        ("getIndexes", {}),
        ("getStarred2", {}),
        ("getRandomSongs", {"size": 50}),
        ("getSongsByGenre", {"genre": "Rock", "count": 50}),
        ("getGenres", {}),
    ],
)
def test_lists_cost_a_constant_number_of_queries(name, params, alice, alice_sonic, library):
    _more(library, 1)
    _star_everything(alice)
    alice_sonic.ok("ping")  # the app password's last_used_at is written once a minute at most
    with CaptureQueriesContext(connection) as small:
        alice_sonic.ok(name, **params)
    _more(library, 12)
    _star_everything(alice)
    with CaptureQueriesContext(connection) as large:
        alice_sonic.ok(name, **params)

    assert len(large) == len(small)


def _listened(library, **counts) -> None:
    for name, count in counts.items():
        Track.objects.filter(pk=library["tracks"][name].pk).update(listen_count=count)


def test_frequent_pages_from_a_kept_ranking_until_it_expires(alice_sonic, library):
    _listened(library, help=5, something=3, dancing_queen=1)
    with CaptureQueriesContext(connection) as ranked:
        first = _names(alice_sonic, type="frequent")

    _listened(library, dancing_queen=50)
    with CaptureQueriesContext(connection) as kept:
        still = _names(alice_sonic, type="frequent")
    cache.clear()  # what SUBSONIC_FREQUENT_CACHE_SECONDS running out does

    assert first == still == ["Help!", "Abbey Road", "Arrival"]
    # The ranking (over every track with listens) ran for the first call only.
    ranking = [q["sql"] for q in ranked.captured_queries if '"listen_count" > 0' in q["sql"]]
    assert len(ranking) == 1
    assert not any('"listen_count" > 0' in q["sql"] for q in kept.captured_queries)
    assert _names(alice_sonic, type="frequent") == ["Arrival", "Help!", "Abbey Road"]


def test_frequent_ranks_on_every_call_when_the_cache_is_off(alice_sonic, library, settings):
    settings.SUBSONIC_FREQUENT_CACHE_SECONDS = 0
    _listened(library, help=5, something=3)
    assert _names(alice_sonic, type="frequent") == ["Help!", "Abbey Road"]

    _listened(library, something=9)

    assert _names(alice_sonic, type="frequent") == ["Abbey Road", "Help!"]


def test_an_album_hidden_after_the_ranking_leaves_frequent_at_once_and_the_page_stays_full(
    alice_sonic, library
):
    _listened(library, help=5, something=3, dancing_queen=1)
    assert _names(alice_sonic, type="frequent", size=2) == ["Help!", "Abbey Road"]

    Album.objects.filter(pk=library["albums"]["help"].pk).update(is_hidden=True)

    assert _names(alice_sonic, type="frequent", size=2) == ["Abbey Road", "Arrival"]


def test_pages_deeper_than_the_kept_ranking_are_ranked_in_the_call(
    alice_sonic, library, monkeypatch
):
    monkeypatch.setattr(queries, "FREQUENT_DEPTH", 2)
    monkeypatch.setattr(queries, "FREQUENT_SLACK", 0)
    _listened(library, help=5, something=3, dancing_queen=1)

    assert _names(alice_sonic, type="frequent", size=1, offset=2) == ["Arrival"]
    assert _names(alice_sonic, type="frequent", size=2, offset=0) == ["Help!", "Abbey Road"]


def test_a_hidden_album_is_in_no_list_nor_search_of_a_listener(alice_sonic, library):
    help_ = library["albums"]["help"]
    Album.objects.filter(pk=help_.pk).update(is_hidden=True)

    assert "Help!" not in _names(alice_sonic, type="alphabeticalByName")
    found = alice_sonic.ok("search3", query="")["searchResult3"].get("album", [])
    assert f"al-{help_.pk}" not in [album["id"] for album in found]
    assert alice_sonic.json("getAlbum", id=f"al-{help_.pk}")["error"]["code"] == 70
