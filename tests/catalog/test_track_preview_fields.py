"""`preview_allowed` and `preview_start`: shown in track payloads, edited by whoever may edit
the track; a new start has the preview cut again."""

import pytest

from tests import factories
from tests.artists.conftest import make_manager
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(uploader):
    return factories.TrackFactory(uploaded_by=uploader)


def detail(track) -> str:
    return f"/api/tracks/{track.pk}/"


def test_payloads_show_the_preview_fields(api_client, own):
    listed = api_client.get("/api/tracks/").json()["results"][0]
    assert (listed["preview_allowed"], listed["preview_start"]) == (True, None)
    shown = api_client.get(detail(own)).json()
    assert (shown["preview_allowed"], shown["preview_start"]) == (True, None)


@pytest.mark.parametrize("who", ["uploader_client", "moderator_client", "staff_client"])
def test_the_uploader_and_moderators_set_the_preview_fields(request, own, who):
    client = request.getfixturevalue(who)
    response = client.patch(detail(own), {"preview_allowed": False, "preview_start": 42.5})
    assert response.status_code == 200, response.json()
    assert (response.json()["preview_allowed"], response.json()["preview_start"]) == (False, 42.5)
    own.refresh_from_db()
    assert (own.preview_allowed, own.preview_start) == (False, 42.5)


def test_the_artists_managers_set_the_preview_fields_of_its_tracks(own):
    manager = client_for(make_manager(own.artist))
    other_artists_manager = client_for(make_manager(factories.ArtistFactory()))

    assert other_artists_manager.patch(detail(own), {"preview_allowed": False}).status_code == 403
    response = manager.patch(detail(own), {"preview_allowed": False, "preview_start": 12})
    assert response.status_code == 200, response.json()
    own.refresh_from_db()
    assert (own.preview_allowed, own.preview_start) == (False, 12)


def test_another_listener_may_not_and_anonymous_must_sign_in(bob_client, api_client, own):
    assert bob_client.patch(detail(own), {"preview_allowed": False}).status_code == 403
    assert api_client.patch(detail(own), {"preview_allowed": False}).status_code == 401
    own.refresh_from_db()
    assert own.preview_allowed is True


def test_a_negative_start_is_refused(uploader_client, own):
    response = uploader_client.patch(detail(own), {"preview_start": -1})
    assert response.status_code == 400
    assert "preview_start" in response.json()["fields"]


def test_a_new_start_queues_the_preview_cut_again(
    uploader_client, own, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from core.processing import previews

    remade = []
    monkeypatch.setattr(
        previews, "track_preview_remake", lambda *, track_id: remade.append(track_id) or "made"
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        uploader_client.patch(detail(own), {"preview_start": 10})
    with django_capture_on_commit_callbacks(execute=True):
        uploader_client.patch(detail(own), {"preview_start": 10, "title": "Same start"})
    assert remade == [own.pk]
