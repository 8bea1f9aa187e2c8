"""Who sees which track payload: the public one for listeners and anonymous visitors, the
manager one (processing and hiding state) for the managers of the track's artist, the owner one
(where the file is stored, its checksum, who uploaded it) only for its uploader, moderators and
staff. A manager of the artist who did not upload the track never learns the upload's details,
on the list, the detail, or in the answer to their own edit."""

import pytest
from rest_framework.test import APIClient

from core.artists.models import ArtistManager
from core.catalog.models import TrackStatus
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

OWNER_ONLY = {"storage_key", "checksum", "uploaded_by"}
MANAGER_FIELDS = {"status", "failure_reason", "is_hidden", "hidden_role", "updated_at"}


@pytest.fixture
def catalog(uploader):
    artist = factories.ArtistFactory(name="Nina Simone")
    manager = factories.UserFactory(username="nina_team")
    ArtistManager.objects.create(artist=artist, user=manager)
    track = factories.TrackFactory(
        title="Sinnerman", artist=artist, uploaded_by=uploader, status=TrackStatus.READY
    )
    return artist, manager, track


def _viewer(name, *, manager, uploader, alice, moderator, staff):
    return {
        "anonymous": None,
        "listener": alice,
        "manager": manager,
        "uploader": uploader,
        "moderator": moderator,
        "staff": staff,
    }[name]


EXPECTED = {
    "anonymous": (False, False),
    "listener": (False, False),
    "manager": (True, False),
    "uploader": (True, True),
    "moderator": (True, True),
    "staff": (True, True),
}


@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_each_viewer_gets_exactly_its_tier_on_list_and_detail(
    catalog, viewer, uploader, alice, moderator, staff
):
    _, manager, track = catalog
    user = _viewer(
        viewer, manager=manager, uploader=uploader, alice=alice, moderator=moderator, staff=staff
    )
    client = client_for(user) if user is not None else APIClient()
    sees_manager, sees_owner = EXPECTED[viewer]

    listed = client.get("/api/tracks/", {"page_size": 100})
    detail = client.get(f"/api/tracks/{track.pk}/")

    assert listed.status_code == detail.status_code == 200
    [item] = [t for t in listed.json()["results"] if t["id"] == track.pk]
    for payload in (item, detail.json()):
        assert (payload.keys() >= MANAGER_FIELDS) is sees_manager, payload.keys()
        assert bool(OWNER_ONLY & payload.keys()) is sees_owner, payload.keys()


def test_a_manager_editing_their_artists_track_is_not_told_the_upload_details(catalog):
    _, manager, track = catalog

    response = client_for(manager).patch(
        f"/api/tracks/{track.pk}/", {"title": "Sinnerman (live)"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Sinnerman (live)"
    assert body.keys() >= MANAGER_FIELDS
    assert not OWNER_ONLY & body.keys()


def test_a_manager_who_uploaded_the_track_gets_the_owner_payload(catalog):
    artist, manager, _ = catalog
    own = factories.TrackFactory(artist=artist, uploaded_by=manager, status=TrackStatus.READY)

    body = client_for(manager).get(f"/api/tracks/{own.pk}/").json()

    assert body.keys() >= OWNER_ONLY
    assert body["uploaded_by"] == {"id": manager.pk, "username": "nina_team"}


def test_a_manager_of_another_artist_gets_the_public_payload(catalog):
    _, _, track = catalog
    other = factories.UserFactory(username="evans_team")
    ArtistManager.objects.create(artist=factories.ArtistFactory(name="Bill Evans"), user=other)

    body = client_for(other).get(f"/api/tracks/{track.pk}/").json()

    assert not MANAGER_FIELDS & body.keys()
    assert not OWNER_ONLY & body.keys()
