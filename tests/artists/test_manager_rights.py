"""What managing an artist allows in the catalog: uploads under it, edits of its tracks and
albums; and what it does not: other artists' work, deletes, undoing a moderator's hiding."""

import pytest

from core.catalog.models import Artist, Track, TrackStatus
from tests import factories
from tests.catalog.uploading import TRACKS_URL, presign, upload


def register(client, upload_id: str, **fields):
    body = {"upload_id": upload_id, "title": "Sinnerman", **fields}
    return client.post(TRACKS_URL, body, format="json")


def test_a_manager_without_the_uploader_role_may_start_an_upload(manager_client):
    assert presign(manager_client).status_code == 201


def test_a_listener_who_manages_nothing_may_not(alice_client):
    assert presign(alice_client).status_code == 403


def test_a_manager_registers_a_track_under_their_artist(manager_client, artist, manager):
    slot = upload(manager_client)

    response = register(manager_client, slot["upload_id"], artist_id=artist.pk)

    assert response.status_code == 201, response.json()
    track = Track.objects.get(pk=response.json()["id"])
    assert (track.artist_id, track.uploaded_by_id) == (artist.pk, manager.pk)


def test_a_manager_cannot_register_under_another_artist(manager_client, other_artist):
    slot = upload(manager_client)

    by_id = register(manager_client, slot["upload_id"], artist_id=other_artist.pk)
    by_new_name = register(manager_client, slot["upload_id"], artist="Somebody New")
    unnamed = register(manager_client, slot["upload_id"])

    assert [r.status_code for r in (by_id, by_new_name, unnamed)] == [403, 403, 403]
    assert by_id.json()["fields"] == {"artist": [by_id.json()["detail"]]}
    assert not Track.objects.exists()
    assert not Artist.objects.filter(name="Somebody New").exists()


def test_an_uploader_who_manages_no_artist_keeps_registering_under_any(uploader_client):
    slot = upload(uploader_client)

    response = register(uploader_client, slot["upload_id"], artist="Anyone At All")

    assert response.status_code == 201


def test_an_uploader_who_also_manages_an_artist_keeps_the_role(uploader, uploader_client, artist):
    from core.artists.models import ArtistManager

    ArtistManager.objects.create(artist=artist, user=uploader)
    slot = upload(uploader_client)

    assert register(uploader_client, slot["upload_id"], artist="Elsewhere").status_code == 201


@pytest.fixture
def their_track(artist):
    return factories.TrackFactory(artist=artist, title="Feeling Good")


@pytest.fixture
def foreign_track(other_artist):
    return factories.TrackFactory(artist=other_artist, title="Peace Piece")


def test_a_manager_edits_their_artists_track_uploaded_by_someone_else(manager_client, their_track):
    response = manager_client.patch(
        f"/api/tracks/{their_track.pk}/", {"title": "Feeling Good (live)"}, format="json"
    )

    assert response.status_code == 200
    their_track.refresh_from_db()
    assert their_track.title == "Feeling Good (live)"


def test_a_manager_cannot_edit_another_artists_track(manager_client, foreign_track):
    response = manager_client.patch(
        f"/api/tracks/{foreign_track.pk}/", {"title": "Mine now"}, format="json"
    )

    assert response.status_code == 403
    foreign_track.refresh_from_db()
    assert foreign_track.title == "Peace Piece"


def test_a_manager_cannot_move_a_track_to_an_artist_they_do_not_manage(
    manager_client, their_track, other_artist
):
    response = manager_client.patch(
        f"/api/tracks/{their_track.pk}/", {"artist_id": other_artist.pk}, format="json"
    )

    assert response.status_code == 403
    their_track.refresh_from_db()
    assert their_track.artist.name == "Nina Simone"


def test_a_manager_hides_their_artists_track_but_cannot_unhide_one(
    manager_client, their_track, artist
):
    hide = manager_client.patch(
        f"/api/tracks/{their_track.pk}/", {"is_hidden": True}, format="json"
    )
    hidden_by_moderator = factories.TrackFactory(artist=artist, is_hidden=True)
    unhide = manager_client.patch(
        f"/api/tracks/{hidden_by_moderator.pk}/", {"is_hidden": False}, format="json"
    )

    assert hide.status_code == 200
    their_track.refresh_from_db()
    assert their_track.is_hidden is True
    assert unhide.status_code == 403
    hidden_by_moderator.refresh_from_db()
    assert hidden_by_moderator.is_hidden is True


def test_a_manager_never_deletes_a_track_they_did_not_upload(
    manager_client, their_track, foreign_track
):
    assert manager_client.delete(f"/api/tracks/{their_track.pk}/").status_code == 403
    assert manager_client.delete(f"/api/tracks/{foreign_track.pk}/").status_code == 403
    assert Track.objects.filter(pk__in=[their_track.pk, foreign_track.pk]).count() == 2


def test_a_manager_sees_their_artists_unfinished_tracks_not_other_artists(
    manager_client, artist, other_artist
):
    theirs = factories.TrackFactory(artist=artist, status=TrackStatus.PROCESSING)
    factories.TrackFactory(artist=other_artist, status=TrackStatus.PROCESSING)
    factories.TrackFactory(artist=other_artist, is_hidden=True)

    listed = manager_client.get("/api/tracks/").json()["results"]

    assert [t["id"] for t in listed] == [theirs.pk]
