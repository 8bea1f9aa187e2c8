"""Every method's answer, in XML and in JSON, holds to the schema written from the spec
(tests/subsonic/schema.py); and the schema itself refuses what the spec does not allow."""

from xml.etree import ElementTree

import pytest

from core.library.models import AlbumFavorite, ArtistFavorite, Favorite
from core.processing.models import TrackMedia
from tests import factories
from tests.subsonic import schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_world(alice, alice_sonic, library):
    """Something in every list: stars, a playlist, a queue, a now-playing entry, media facts."""
    t = library["tracks"]
    TrackMedia.objects.create(track=t["help"], bitrate=192_000, replay_gain_db=-1.25)
    Favorite.objects.create(user=alice, track=t["help"])
    AlbumFavorite.objects.create(user=alice, album=library["albums"]["abbey"])
    ArtistFavorite.objects.create(user=alice, artist=library["artists"]["abba"])
    factories.PlayFactory(user=alice, track=t["money"])
    playlist = factories.PlaylistFactory(owner=alice, name="Mix", description="Notes")
    factories.PlaylistItemFactory(playlist=playlist, track=t["help"], playable=True)
    alice_sonic.ok("savePlayQueue", id=[str(t["help"].pk)], current=str(t["help"].pk))
    alice_sonic.ok("scrobble", id=str(t["money"].pk), submission="false")
    return {"playlist": playlist, **library}


def _calls(w) -> list[tuple[str, dict]]:
    t, albums, artists = w["tracks"], w["albums"], w["artists"]
    song = str(t["help"].pk)
    return [
        ("ping", {}),
        ("getLicense", {}),
        ("getOpenSubsonicExtensions", {}),
        ("getMusicFolders", {}),
        ("getUser", {"username": "alice"}),
        ("getArtists", {}),
        ("getIndexes", {}),
        ("getMusicDirectory", {"id": f"ar-{artists['beatles'].pk}"}),
        ("getMusicDirectory", {"id": f"al-{albums['help'].pk}"}),
        ("getArtist", {"id": f"ar-{artists['beatles'].pk}"}),
        ("getAlbum", {"id": f"al-{albums['abbey'].pk}"}),
        ("getSong", {"id": song}),
        ("getGenres", {}),
        ("getTopSongs", {"artist": "ABBA"}),
        *[("getAlbumList2", {"type": kind}) for kind in ("newest", "recent", "starred")],
        ("getAlbumList", {"type": "alphabeticalByArtist"}),
        ("getRandomSongs", {}),
        ("getSongsByGenre", {"genre": "Rock"}),
        ("search2", {"query": ""}),
        ("search3", {"query": ""}),
        ("getStarred", {}),
        ("getStarred2", {}),
        ("getNowPlaying", {}),
        ("getPlaylists", {}),
        ("getPlaylist", {"id": str(w["playlist"].pk)}),
        ("getPlayQueue", {}),
        ("getLyrics", {"artist": "ABBA", "title": "Money"}),
        ("getLyricsBySongId", {"id": song}),
        ("getSimilarSongs2", {"id": song}),
        ("getArtistInfo2", {"id": f"ar-{artists['abba'].pk}"}),
        ("setRating", {"id": song, "rating": 3}),
        ("getAlbum", {"id": "al-0"}),
    ]


def test_every_answer_holds_to_the_schema_in_xml_and_json(alice_sonic, full_world):
    for name, params in _calls(full_world):
        body = alice_sonic.json(name, **params)
        root = alice_sonic.xml(name, **params)
        assert root.get("status") == body["status"], name


def test_xml_lists_repeat_their_elements(alice_sonic, full_world):
    root = alice_sonic.xml("search3", query="")
    result = root.find(f"{schema.NAMESPACE}searchResult3")

    assert len(result.findall(f"{schema.NAMESPACE}song")) == 5
    assert len(result.findall(f"{schema.NAMESPACE}album")) == 3


def test_the_schema_refuses_a_missing_required_attribute():
    with pytest.raises(schema.SchemaError, match="missing"):
        schema.check_json(
            {"status": "ok", "version": "1.16.1", "type": "t", "serverVersion": "1",
             "openSubsonic": True, "song": {"id": "1", "isDir": False}}
        )  # fmt: skip


def test_the_schema_refuses_a_number_where_the_spec_wants_a_string():
    with pytest.raises(schema.SchemaError, match="is not a string"):
        schema.check_json(
            {"status": "ok", "version": "1.16.1", "type": "t", "serverVersion": "1",
             "openSubsonic": True, "song": {"id": 1, "isDir": False, "title": "x"}}
        )  # fmt: skip


def test_the_schema_refuses_an_unknown_element_and_a_foreign_namespace():
    unknown = ElementTree.fromstring(  # noqa: S314 (a literal)
        '<subsonic-response xmlns="http://subsonic.org/restapi" status="ok" version="1.16.1" '
        'type="t" serverVersion="1" openSubsonic="true"><bogus/></subsonic-response>'
    )
    with pytest.raises(schema.SchemaError, match="unknown element"):
        schema.check_xml(unknown)
    foreign = ElementTree.fromstring('<subsonic-response status="ok"/>')  # noqa: S314 (a literal)
    with pytest.raises(schema.SchemaError, match="root element"):
        schema.check_xml(foreign)
