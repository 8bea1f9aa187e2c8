"""DELETE /api/tracks/{id}/: the track goes, and its stored object after the commit."""

import logging

import pytest
from django.db import transaction
from django.urls import reverse

from core.catalog.models import Track
from core.catalog.services import track_delete
from core.processing.selectors import derived_keys
from core.uploads.models import Upload
from media_pipeline.storage import ObjectNotFound, StorageUnavailable, get_storage
from tests import factories
from tests.catalog.uploading import register, upload
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _url(track_id: int) -> str:
    return reverse("track-detail", args=[track_id])


@pytest.fixture
def registered(
    uploader_client, audio_samples, immediate_tasks, django_capture_on_commit_callbacks
) -> dict:
    """A track registered through the upload contract and processed: ready, its file, streaming
    variants and cover thumbnails in the local store."""
    sample = audio_samples["mp3"]
    presigned = upload(uploader_client, sample.path.read_bytes(), content_type=sample.content_type)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(uploader_client, presigned["upload_id"])
    assert response.status_code == 201
    track = uploader_client.get(_url(response.json()["id"])).json()
    assert track["status"] == "ready"
    return track


def test_owner_deletes_a_track_its_file_and_derived_objects_after_commit(
    uploader_client, registered, django_capture_on_commit_callbacks
):
    keys = [registered["storage_key"], *derived_keys([registered["id"]])]
    assert len(keys) == 7  # the file, two variants, three thumbnails, the preview

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = uploader_client.delete(_url(registered["id"]))
    assert response.status_code == 204
    assert not Track.objects.filter(pk=registered["id"]).exists()
    for key in keys:
        get_storage().head(key)  # still there until the transaction commits
    assert len(callbacks) == 1

    callbacks[0]()

    for key in keys:
        with pytest.raises(ObjectNotFound):
            get_storage().head(key)
    assert Upload.objects.get(key=registered["storage_key"]).track is None


def test_stored_object_survives_when_the_delete_rolls_back(
    uploader, registered, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        track_delete(user=uploader, track_id=registered["id"])
        raise RuntimeError("something later in the same transaction failed")

    assert callbacks == []
    assert Track.objects.filter(pk=registered["id"]).exists()
    assert get_storage().head(registered["storage_key"]).size > 0


def test_a_storage_failure_on_delete_is_logged_not_an_error(
    uploader_client, registered, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def unavailable(key):
        raise StorageUnavailable("timeout")

    monkeypatch.setattr(get_storage(), "delete", unavailable)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = uploader_client.delete(_url(registered["id"]))

    assert response.status_code == 204
    assert not Track.objects.filter(pk=registered["id"]).exists()
    assert registered["storage_key"] in caplog.text


@pytest.mark.parametrize("client_name", ["staff_client", "moderator_client"])
def test_staff_delete_any_track(
    request, client_name, registered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = request.getfixturevalue(client_name).delete(_url(registered["id"]))

    assert response.status_code == 204
    with pytest.raises(ObjectNotFound):
        get_storage().head(registered["storage_key"])


def test_listener_cannot_delete_a_visible_track(alice_client, registered):
    response = alice_client.delete(_url(registered["id"]))

    assert response.status_code == 403
    assert Track.objects.filter(pk=registered["id"]).exists()


def test_another_uploader_cannot_delete_a_track(registered):
    response = client_for(factories.UploaderFactory()).delete(_url(registered["id"]))

    assert response.status_code == 403
    assert Track.objects.filter(pk=registered["id"]).exists()


def test_deleting_an_invisible_track_is_not_found(alice_client, hidden):
    assert alice_client.delete(_url(hidden.pk)).status_code == 404
    assert Track.objects.filter(pk=hidden.pk).exists()


def test_anonymous_cannot_delete(api_client, registered):
    assert api_client.delete(_url(registered["id"])).status_code == 401
