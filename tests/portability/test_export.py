"""POST /api/me/export/ and GET /api/me/export/{id}/: everything one holds, as a zip."""

import io
import json
import zipfile
from urllib.parse import urlsplit

import pytest
from django.test import Client

from core.artists.models import ArtistFollow, UserFollow
from core.library.models import AlbumFavorite, ArtistFavorite, ExternalListen
from core.portability.models import DataExport
from core.portability.sections import SECTIONS
from core.portability.services import export_run
from core.ratings.services import set_rating
from tests import factories
from tests.history_import import files
from tests.history_import.conftest import imported
from tests.insights.conftest import listen, utc

pytestmark = pytest.mark.django_db


def _export(client) -> dict:
    response = client.post("/api/me/export/")
    assert response.status_code == 202, response.content
    export = DataExport.objects.get(pk=response.json()["id"])
    export_run(export_id=export.pk, token=str(export.token))
    return client.get(f"/api/me/export/{export.pk}/").json()


def _download(body: dict) -> zipfile.ZipFile:
    url = urlsplit(body["download_url"])
    response = Client().get(url.path + (f"?{url.query}" if url.query else ""))
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return zipfile.ZipFile(io.BytesIO(data))


@pytest.fixture
def full_account(alice, alice_client, queen):
    other = factories.TrackFactory(title="Other", duration=200.0)
    listen(alice, queen, utc(2026, 1, 2, 10, 0))
    listen(alice, other, utc(2026, 1, 2, 11, 0), seconds=20)  # not counted
    factories.FavoriteFactory(user=alice, track=other)
    AlbumFavorite.objects.create(user=alice, album=queen.album)
    ArtistFavorite.objects.create(user=alice, artist=queen.artist)
    alice.favorite_genres.add(factories.GenreFactory(name="Rock"))
    playlist = factories.PlaylistFactory(owner=alice, name="Road")
    for position, track in ((2000, queen), (1000, other)):
        factories.PlaylistItemFactory(playlist=playlist, track=track, position=position)
    imported(
        alice_client,
        files.json_lines(
            [files.listenbrainz_listen(artist="Nobody", title="Song", album="Demo", at=files.at(0))]
        ),
        filename="l.jsonl",
    )
    return alice


def test_an_export_is_queued_then_ready_with_a_short_lived_url(
    full_account, alice_client, settings
):
    settings.EXPORT_URL_EXPIRY_SECONDS = 120

    body = _export(alice_client)

    assert body["status"] == "ready"
    assert body["download_url"] and body["expires_at"] and body["size"] > 0
    assert set(_download(body).namelist()) == set(SECTIONS)


def test_the_zip_holds_profile_history_favorites_and_playlists_in_order(full_account, alice_client):
    archive = _download(_export(alice_client))

    profile = json.loads(archive.read("profile.json"))
    history = json.loads(archive.read("history.json"))
    favorites = json.loads(archive.read("favorites.json"))
    playlists = json.loads(archive.read("playlists.json"))
    assert profile["username"] == "alice"
    assert [(h["source"], h["counted"]) for h in history] == [
        ("listenbrainz", True),
        ("tonearm", True),
        ("tonearm", False),
    ]
    assert history[0]["track"] is None and history[0]["external"]["title"] == "Song"
    assert [f["track"]["title"] for f in favorites] == ["Other"]
    assert [t["track"]["title"] for t in playlists[0]["tracks"]] == ["Other", "Bohemian Rhapsody"]


def test_the_zip_holds_favorite_albums_artists_and_genres(full_account, alice_client, queen):
    archive = _download(_export(alice_client))

    albums = json.loads(archive.read("album_favorites.json"))
    artists = json.loads(archive.read("artist_favorites.json"))
    assert [a["album"] for a in albums] == [
        {"id": queen.album_id, "title": "A Night at the Opera", "artist": "Queen", "year": 2020}
    ]
    assert [a["artist"] for a in artists] == [{"id": queen.artist_id, "name": "Queen"}]
    assert albums[0]["favorited_at"] and artists[0]["favorited_at"]
    assert json.loads(archive.read("profile.json"))["favorite_genres"] == ["Rock"]


def test_the_zip_holds_ones_ratings_and_follows_and_nobody_elses(
    full_account, alice_client, queen, bob
):
    set_rating(user=full_account, item=queen, stars=4)
    set_rating(user=full_account, item=queen.album, stars=5)
    set_rating(user=bob, item=queen, stars=1)
    ArtistFollow.objects.create(user=full_account, artist=queen.artist)
    UserFollow.objects.create(follower=full_account, followed=bob)
    UserFollow.objects.create(follower=bob, followed=full_account)

    archive = _download(_export(alice_client))

    ratings = json.loads(archive.read("ratings.json"))
    follows = json.loads(archive.read("follows.json"))
    assert [
        (r["stars"], r.get("track", {}).get("title"), r.get("album", {}).get("title"))
        for r in ratings
    ] == [(4, "Bohemian Rhapsody", None), (5, None, "A Night at the Opera")]
    assert [f.get("artist", f.get("user")) for f in follows] == [
        {"id": queen.artist_id, "name": "Queen"},
        {"username": bob.username},
    ]
    assert all(r["rated_at"] for r in ratings) and all(f["followed_at"] for f in follows)


def test_listens_jsonl_is_the_counted_listens_in_listenbrainz_format(full_account, alice_client):
    lines = _download(_export(alice_client)).read("listens.jsonl").decode().splitlines()

    listens = [json.loads(line) for line in lines]
    assert listens[0] == {
        "listened_at": int(utc(2026, 1, 2, 10, 0).timestamp()),
        "track_metadata": {
            "artist_name": "Queen",
            "track_name": "Bohemian Rhapsody",
            "release_name": "A Night at the Opera",
            "additional_info": {"submission_client": "Tonearm", "duration_ms": 354_000},
        },
    }
    assert len(listens) == 2  # the uncounted stream is not a listen


def test_exported_listens_imported_into_another_account_are_the_same_listens(
    full_account, alice_client, bob, bob_client
):
    archive = _download(_export(alice_client))

    job = imported(bob_client, archive.read("listens.jsonl"), filename="listens.jsonl")

    assert (job.status, job.imported, job.skipped) == ("done", 2, 0)
    mine = alice_client.get("/api/me/stats/", {"period": "all"}).json()
    theirs = bob_client.get("/api/me/stats/", {"period": "all"}).json()
    assert theirs["totals"]["listens"] == mine["totals"]["listens"] == 2
    assert [t["count"] for t in theirs["top"]["tracks"]] == [
        t["count"] for t in mine["top"]["tracks"]
    ]
    assert ExternalListen.objects.filter(user=bob, track__isnull=False).count() == 1


def test_the_whole_export_zip_can_be_imported_as_it_is(full_account, alice_client, bob_client):
    body = _export(alice_client)
    url = urlsplit(body["download_url"])
    response = Client().get(url.path + (f"?{url.query}" if url.query else ""))
    data = b"".join(response.streaming_content) if response.streaming else response.content

    job = imported(bob_client, data, filename="tonearm-export.zip")

    assert (job.status, job.imported) == ("done", 2)


def test_nobody_reads_another_listeners_export(full_account, alice_client, bob_client):
    export_id = alice_client.post("/api/me/export/").json()["id"]

    assert bob_client.get(f"/api/me/export/{export_id}/").status_code == 404


def test_a_queued_export_has_no_url_yet(alice_client):
    export_id = alice_client.post("/api/me/export/").json()["id"]

    body = alice_client.get(f"/api/me/export/{export_id}/").json()

    assert (body["status"], body["download_url"], body["expires_at"]) == ("queued", None, None)


def test_anonymous_callers_cannot_export(api_client):
    assert api_client.post("/api/me/export/").status_code == 401
    assert api_client.get("/api/me/export/1/").status_code == 401
