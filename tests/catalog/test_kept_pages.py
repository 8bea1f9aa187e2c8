"""Catalog pages kept under the catalog version (core/catalog/kept_pages.py): the same JSON as
pages built for the caller, 304s for unchanged pages, and every edit, hide or delete seen by
the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.catalog.models import Album, Track
from core.ratings import services as ratings
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pages are kept under a PostgreSQL sequence"
)

LIST = "/api/tracks/"


@pytest.fixture
def tracks(db):
    rock = factories.GenreFactory(name="Rock")
    return [factories.TrackFactory(genres=[rock]) for _ in range(4)]


def get(client, path: str, **headers):
    return client.get(path, headers=headers)


def titles(response) -> list[str]:
    return [track["title"] for track in response.json()["results"]]


def built_for_the_caller(client, path: str, settings) -> dict:
    """The page as built for the caller, nothing kept."""
    settings.CATALOG_CACHE_SECONDS = 0
    try:
        return get(client, path).json()
    finally:
        settings.CATALOG_CACHE_SECONDS = 60


def test_an_unchanged_page_is_a_304_and_a_changed_one_comes_whole(api_client, tracks):
    first = get(api_client, LIST)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('W/"')
    assert first["Cache-Control"] == "public, no-cache"
    assert "Authorization" in first["Vary"]

    again = get(api_client, LIST, if_none_match=etag)
    assert again.status_code == 304 and again.content == b""

    Track.objects.filter(pk=tracks[0].pk).update(title="Renamed")
    changed = get(api_client, LIST, if_none_match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Renamed" in titles(changed)


@pytest.mark.parametrize(
    "change",
    [
        lambda track: Track.objects.filter(pk=track.pk).update(is_hidden=True),
        lambda track: Track.objects.filter(pk=track.pk).delete(),
        lambda track: Track.objects.filter(pk=track.pk).update(status="failed"),
    ],
    ids=["hidden", "deleted", "failed"],
)
def test_a_track_that_leaves_the_catalog_leaves_kept_pages_at_once(
    api_client, alice, tracks, change
):
    listener = client_for(alice)
    for client in (api_client, listener):
        assert tracks[0].title in titles(get(client, LIST))
        assert get(client, f"/api/tracks/{tracks[0].pk}/").status_code == 200

    change(tracks[0])

    for client in (api_client, listener):
        assert tracks[0].title not in titles(get(client, LIST))
        assert get(client, f"/api/tracks/{tracks[0].pk}/").status_code == 404


def test_listeners_get_the_kept_page_with_their_own_favorites_and_stars(
    api_client, alice, bob, tracks, settings
):
    factories.FavoriteFactory(user=alice, track=tracks[1])
    ratings.set_rating(user=alice, item=tracks[2], stars=4)
    ratings.set_rating(user=bob, item=tracks[1], stars=1)
    get(api_client, LIST)  # kept, as anonymous callers see it

    for user in (alice, bob):
        client = client_for(user)
        kept = get(client, LIST)
        assert kept["Cache-Control"] == "private, no-cache"
        assert kept.json() == built_for_the_caller(client, LIST, settings)
        detail = f"/api/tracks/{tracks[1].pk}/"
        assert get(client, detail).json() == built_for_the_caller(client, detail, settings)
    marks = {
        t["id"]: (t["is_favorite"], t["my_rating"])
        for t in get(client_for(alice), LIST).json()["results"]
    }
    assert marks[tracks[1].pk] == (True, None) and marks[tracks[2].pk] == (False, 4)
    anonymous = get(api_client, LIST).json()["results"]
    assert {(t["is_favorite"], t["my_rating"]) for t in anonymous} == {(False, None)}


def test_a_listeners_etag_changes_with_their_own_marks(alice, tracks):
    client = client_for(alice)
    etag = get(client, LIST)["ETag"]
    assert get(client, LIST, if_none_match=etag).status_code == 304

    factories.FavoriteFactory(user=alice, track=tracks[0])

    fresh = get(client, LIST, if_none_match=etag)
    assert fresh.status_code == 200
    assert {t["id"]: t["is_favorite"] for t in fresh.json()["results"]}[tracks[0].pk] is True


def test_uploaders_moderators_and_managers_get_their_own_pages(
    api_client, uploader, moderator, alice, tracks
):
    from core.artists.models import ArtistManager

    unpublished = factories.TrackFactory(status="processing", uploaded_by=uploader)
    hidden = factories.TrackFactory(is_hidden=True, uploaded_by=factories.UploaderFactory())
    ArtistManager.objects.create(user=alice, artist=hidden.artist)
    get(api_client, LIST)  # the anonymous page is kept

    seen = {
        "uploader": titles(get(client_for(uploader), LIST)),
        "moderator": titles(get(client_for(moderator), LIST)),
        "manager": titles(get(client_for(alice), LIST)),
        "anonymous": titles(get(api_client, LIST)),
    }
    assert unpublished.title in seen["uploader"] and unpublished.title in seen["moderator"]
    assert hidden.title in seen["manager"] and hidden.title in seen["moderator"]
    assert unpublished.title not in seen["anonymous"] and hidden.title not in seen["anonymous"]
    own = get(client_for(uploader), f"/api/tracks/{unpublished.pk}/").json()
    assert "storage_key" in own  # the owner payload, never a kept public one


def test_pages_that_depend_on_the_caller_are_never_shared(api_client, uploader, tracks):
    mine = f"{LIST}?uploaded_by=me"
    assert get(client_for(uploader), mine).status_code == 200
    assert get(api_client, mine).status_code == 401
    assert get(api_client, f"{LIST}?status=ready").status_code == 400


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert get(client, path).status_code == 200
    return len(context.captured_queries)


def test_a_kept_page_costs_the_same_queries_whatever_its_size(api_client, alice, tracks):
    for _ in range(16):
        factories.TrackFactory()
    listener = client_for(alice)
    for path in (f"{LIST}?page_size=2", f"{LIST}?page_size=20"):
        get(api_client, path)  # builds and keeps it
    get(listener, LIST)  # remembers that alice sees the public catalog
    assert _queries(api_client, f"{LIST}?page_size=2") == 1  # the version
    assert _queries(api_client, f"{LIST}?page_size=20") == 1
    small = _queries(listener, f"{LIST}?page_size=2")
    assert small == _queries(listener, f"{LIST}?page_size=20")
    assert small == 3  # the user, the version, the favorites and stars among the page (one)


def test_albums_artists_and_genres_are_kept_for_anonymous_callers(api_client, alice, tracks):
    favorite = tracks[0].album
    from core.library.favorites import favorite_set

    favorite_set(user=alice, kind="album", object_id=favorite.pk, favorite=True)
    for path in ("/api/albums/", "/api/artists/", "/api/genres/"):
        first = get(api_client, path)
        assert get(api_client, path, if_none_match=first["ETag"]).status_code == 304
    albums = get(client_for(alice), "/api/albums/").json()["results"]
    assert {a["id"]: a["is_favorite"] for a in albums}[favorite.pk] is True

    Album.objects.filter(pk=tracks[1].album_id).update(is_hidden=True)
    shown = [a["id"] for a in get(api_client, "/api/albums/").json()["results"]]
    assert tracks[1].album_id not in shown and favorite.pk in shown
    Album.objects.filter(pk=favorite.pk).update(title="Another title")
    assert "Another title" in [
        a["title"] for a in get(api_client, "/api/albums/").json()["results"]
    ]


def test_kept_pages_are_renewed_each_keep_window(api_client, tracks, monkeypatch):
    from core.catalog import caching

    etag = get(api_client, LIST)["ETag"]
    window = caching.keep_window()
    monkeypatch.setattr(caching, "keep_window", lambda: window + 1)

    assert get(api_client, LIST, if_none_match=etag).status_code == 200
