"""Methods that list the songs of one thing (an album, a folder, a playlist, the play queue)
cost the same number of queries for 2 songs as for 20."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


def _queries(sonic, name: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        sonic.ok(name, **params)
    return len(captured)


def _grow(album, playlist, n: int) -> list[str]:
    genre = factories.GenreFactory()
    ids = []
    for _ in range(n):
        track = factories.TrackFactory(album=album, artist=album.artist)
        track.genres.add(genre)
        factories.PlaylistItemFactory(playlist=playlist, track=track, playable=True)
        ids.append(str(track.pk))
    return ids


def test_song_lists_of_one_thing_cost_a_constant_number_of_queries(alice, alice_sonic):
    album = factories.AlbumFactory()
    playlist = factories.PlaylistFactory(owner=alice)
    ids = _grow(album, playlist, 2)
    calls = {
        "getAlbum": {"id": f"al-{album.pk}"},
        "getMusicDirectory": {"id": f"al-{album.pk}"},
        "getArtist": {"id": f"ar-{album.artist_id}"},
        "getPlaylist": {"id": str(playlist.pk)},
        "getPlaylists": {},
        "getPlayQueue": {},
    }
    alice_sonic.ok("savePlayQueue", id=ids)
    small = {name: _queries(alice_sonic, name, **params) for name, params in calls.items()}

    ids += _grow(album, playlist, 18)
    alice_sonic.ok("savePlayQueue", id=ids)
    large = {name: _queries(alice_sonic, name, **params) for name, params in calls.items()}

    assert large == small
