"""Real Subsonic client libraries from PyPI (py-opensonic, py-sonic) against a live server:
token, plain-password and apiKey auth, browsing, search, stars, scrobbles, playlists, the play
queue, and the stream redirect followed to the exact bytes, with Range, on the local backend
and on moto's S3 server."""

import hashlib
import io
from urllib.parse import urlsplit

import libopensonic
import libsonic
import pytest
import requests

from core.accounts.app_passwords import app_password_create
from core.library.models import Favorite, Play
from media_pipeline.storage import get_storage
from media_pipeline.storage.local import LocalStorage
from tests import factories

pytestmark = [pytest.mark.e2e]

AUDIO = bytes(range(256)) * 64  # 16 KiB, every byte value at a known place


@pytest.fixture
def local_backend(live_server, settings):
    settings.STORAGE_BACKEND = "local"
    settings.PUBLIC_BASE_URL = live_server.url
    get_storage.cache_clear()
    assert isinstance(get_storage(), LocalStorage)
    return get_storage()


@pytest.fixture
def world(transactional_db):
    alice = factories.UserFactory(username="alice")
    bob = factories.UserFactory(username="bob")
    _, alice_secret = app_password_create(user=alice, name="py-opensonic")
    _, bob_secret = app_password_create(user=bob, name="py-sonic")
    album = factories.AlbumFactory(title="Kind of Blue", artist__name="Miles Davis", year=1959)
    tracks = [
        factories.TrackFactory(
            title=title,
            artist=album.artist,
            album=album,
            track_number=number,
            size=len(AUDIO),
            storage_key=f"audio/e2e/{hashlib.sha256(title.encode()).hexdigest()[:16]}.mp3",
        )
        for number, title in enumerate(("So What", "Freddie Freeloader", "Blue in Green"), 1)
    ]
    return {
        "alice": alice,
        "bob": bob,
        "alice_secret": alice_secret,
        "bob_secret": bob_secret,
        "tracks": tracks,
    }


def _store(world) -> None:
    for track in world["tracks"]:
        get_storage().upload_fileobj(
            track.storage_key, io.BytesIO(AUDIO), content_type="audio/mpeg"
        )


def _opensonic(live_server, **credentials) -> libopensonic.Connection:
    parts = urlsplit(live_server.url)
    return libopensonic.Connection(
        f"{parts.scheme}://{parts.hostname}",
        port=parts.port,
        server_path="",
        app_name="py-opensonic",
        **credentials,
    )


def _pysonic(live_server, username: str, password: str, **options) -> libsonic.Connection:
    parts = urlsplit(live_server.url)
    return libsonic.Connection(
        f"{parts.scheme}://{parts.hostname}",
        username,
        password,
        port=parts.port,
        serverPath="/rest",
        appName="py-sonic",
        **options,
    )


@pytest.fixture
def opensonic(live_server, world):
    connection = _opensonic(live_server, username="alice", password=world["alice_secret"])
    yield connection
    connection.cleanup()


def test_py_opensonic_browses_with_token_auth(opensonic, world, local_backend):
    assert opensonic.ping()
    names = [e.name for e in opensonic.get_open_subsonic_extensions()]
    assert "apiKeyAuthentication" in names
    artists = opensonic.get_artists()
    [artist] = [a for index in artists.index for a in index.artist]
    assert artist.name == "Miles Davis"
    [album] = opensonic.get_artist(artist.id).album
    full = opensonic.get_album(album.id)
    assert [s.title for s in full.song] == ["So What", "Freddie Freeloader", "Blue in Green"]
    song = opensonic.get_song(full.song[0].id)
    assert (song.album, song.artist, song.track) == ("Kind of Blue", "Miles Davis", 1)
    listed = opensonic.get_album_list2("alphabeticalByName")
    assert [a.name for a in listed] == ["Kind of Blue"]
    # (not get_music_folders(): py-opensonic 10.4.1 reads the element as a list, against
    # the spec's {"musicFolders": {"musicFolder": [...]}}; tests/subsonic/test_transport.py)
    assert opensonic.get_user("alice").stream_role is True


def test_py_opensonic_searches_stars_and_scrobbles(opensonic, world, local_backend):
    found = opensonic.search3("green")
    assert [s.title for s in found.song] == ["Blue in Green"]
    everything = opensonic.search3("", song_count=2, song_offset=2)
    assert len(everything.song) == 1
    song_id = found.song[0].id

    album_id = opensonic.search3("kind of blue").album[0].id
    assert opensonic.star(sids=[song_id], album_ids=[album_id])
    starred = opensonic.get_starred2()
    assert [s.title for s in starred.song] == ["Blue in Green"]
    assert opensonic.scrobble(song_id, submission=False)
    assert [e.title for e in opensonic.get_now_playing()] == ["Blue in Green"]
    assert opensonic.scrobble(song_id)
    assert Play.objects.get(user=world["alice"]).counted is True
    assert opensonic.unstar(sids=[song_id])
    assert not Favorite.objects.filter(user=world["alice"]).exists()


def test_py_opensonic_edits_playlists_and_the_play_queue(opensonic, world, local_backend):
    ids = [str(t.pk) for t in world["tracks"]]
    assert opensonic.create_playlist(name="Late night", song_ids=ids)
    [playlist] = opensonic.get_playlists()
    assert playlist.song_count == 3

    assert opensonic.update_playlist(
        playlist.id, name="Later", song_indices_to_remove=[0], song_ids_to_add=[ids[0]]
    )
    edited = opensonic.get_playlist(playlist.id)
    assert edited.name == "Later"
    assert [e.title for e in edited.entry] == ["Freddie Freeloader", "Blue in Green", "So What"]
    assert [p.name for p in opensonic.get_playlists()] == ["Later"]

    assert opensonic.save_play_queue(ids, current=ids[1], position=42_000)
    queue = opensonic.get_play_queue()
    assert (queue.current, queue.position) == (ids[1], 42_000)

    assert opensonic.delete_playlist(playlist.id)
    assert opensonic.get_playlists() == []


def test_py_opensonic_with_an_api_key(live_server, world, local_backend):
    connection = _opensonic(live_server, api_key=world["alice_secret"])
    try:
        assert connection.ping()
        assert connection.get_user("alice").username == "alice"
    finally:
        connection.cleanup()


def test_the_account_password_is_refused_to_a_client(live_server, world, local_backend):
    connection = _opensonic(live_server, username="alice", password=factories.PASSWORD)
    try:
        with pytest.raises(libopensonic.errors.SonicError):
            connection.ping()
    finally:
        connection.cleanup()


def _follow(live_server, secret: str, track_id: int, headers=None) -> requests.Response:
    """GET stream as a plain HTTP client does: follow the redirect, keep the Range header."""
    return requests.get(
        f"{live_server.url}/rest/stream.view",
        params={"apiKey": secret, "id": track_id, "c": "requests", "v": "1.16.1"},
        headers=headers or {},
        timeout=10,
    )


def test_stream_redirect_serves_the_exact_bytes_on_the_local_backend(
    live_server, world, local_backend
):
    _store(world)
    track = world["tracks"][1]

    whole = _follow(live_server, world["alice_secret"], track.pk)
    part = _follow(live_server, world["alice_secret"], track.pk, {"Range": "bytes=1000-1999"})

    assert whole.history[0].status_code == 302
    assert whole.content == AUDIO
    assert part.status_code == 206
    assert part.content == AUDIO[1000:2000]
    assert not Play.objects.exists()  # a stream is not a play


def test_stream_redirect_serves_the_exact_bytes_on_s3(live_server, world, s3_storage):
    _store(world)
    track = world["tracks"][2]

    whole = _follow(live_server, world["alice_secret"], track.pk)
    part = _follow(live_server, world["alice_secret"], track.pk, {"Range": "bytes=4000-"})

    assert whole.history[0].status_code == 302
    assert urlsplit(whole.history[0].headers["Location"]).netloc != urlsplit(live_server.url).netloc
    assert whole.content == AUDIO
    assert part.status_code == 206
    assert part.content == AUDIO[4000:]


def test_py_sonic_streams_through_the_redirect_with_token_auth(live_server, world, s3_storage):
    _store(world)
    connection = _pysonic(live_server, "bob", world["bob_secret"])

    assert connection.ping()
    songs = connection.getAlbumList2("newest")["albumList2"]["album"]
    assert [a["name"] for a in songs] == ["Kind of Blue"]
    stream = connection.stream(str(world["tracks"][0].pk))
    assert stream.read() == AUDIO
    download = connection.download(str(world["tracks"][0].pk))
    assert download.read() == AUDIO


def test_py_sonic_with_a_hex_encoded_password(live_server, world, local_backend):
    _store(world)
    # legacyAuth sends p=enc:<hex>; (py-sonic 1.2.0's useGET is broken: it names urllib2)
    connection = _pysonic(live_server, "bob", world["bob_secret"], legacyAuth=True)

    assert connection.ping()
    found = connection.search3("So What")["searchResult3"]
    assert [s["title"] for s in found["song"]] == ["So What"]
    assert connection.stream(str(world["tracks"][0].pk)).read() == AUDIO


def test_two_listeners_see_nothing_private_of_each_other(live_server, world, local_backend):
    alice = _opensonic(live_server, username="alice", password=world["alice_secret"])
    bob = _pysonic(live_server, "bob", world["bob_secret"])
    try:
        song = str(world["tracks"][0].pk)
        alice.create_playlist(name="Mine only", song_ids=[song])
        [private] = alice.get_playlists()
        alice.star(sids=[song])
        alice.scrobble(song, submission=False)

        assert bob.getPlaylists()["playlists"].get("playlist", []) == []
        with pytest.raises(libsonic.errors.DataNotFoundError):
            bob.getPlaylist(private.id)
        assert bob.getStarred2()["starred2"].get("song", []) == []
        assert bob.getNowPlaying()["nowPlaying"].get("entry", []) == []
    finally:
        alice.cleanup()


def test_clients_read_ratings_and_the_artist_profile(live_server, world, local_backend):
    song, album = world["tracks"][0], world["tracks"][0].album
    album.artist.bio = "Trumpeter and bandleader."
    album.artist.image_files = {"64": "a/64.webp", "256": "a/256.webp", "512": "a/512.webp"}
    album.artist.save()
    alice = _opensonic(live_server, username="alice", password=world["alice_secret"])
    bob = _pysonic(live_server, "bob", world["bob_secret"])
    try:
        assert alice.set_rating(str(song.pk), 5)
        assert alice.set_rating(f"al-{album.pk}", 4)
        bob.setRating(str(song.pk), 4)

        mine = alice.get_song(str(song.pk))
        bobs = bob.getSong(str(song.pk))["song"]
        folder = alice.get_music_directory(f"al-{album.pk}")
        info = alice.get_artist_info2(f"ar-{album.artist_id}")
        folder_info = bob.getArtistInfo2(f"ar-{album.artist_id}")["artistInfo2"]

        assert (mine.user_rating, mine.average_rating) == (5, 4.5)
        assert (bobs["userRating"], bobs["averageRating"]) == (4, 4.5)
        assert (folder.user_rating, folder.average_rating) == (4, 4.0)
        assert info.biography == "Trumpeter and bandleader."
        assert info.small_image_url.startswith(live_server.url)
        assert info.large_image_url.endswith("512.webp")
        assert folder_info["biography"] == "Trumpeter and bandleader."
    finally:
        alice.cleanup()
