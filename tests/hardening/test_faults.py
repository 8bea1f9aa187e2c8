"""Failing dependencies: object storage unreachable (the S3 backend aimed at a closed port) and
database errors in the middle of a write. Answers are JSON errors, and nothing half-written
remains. (A worker killed mid-job: tests/media_pipeline/test_tasks_worker.py.)"""

import io
import socket
import time
from unittest import mock

import pytest
from django.db import DatabaseError

from core.catalog.models import Album, Artist, Track
from core.library.models import Play
from core.playlists.models import Playlist, PlaylistItem
from core.uploads.models import Upload, UploadStatus
from media_pipeline.storage import StorageUnavailable, get_storage
from tests import factories
from tests.catalog.uploading import register, upload

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def storage_down_settings(settings) -> None:
    """The S3 backend, pointed at a port nothing listens on."""
    settings.STORAGE_BACKEND = "s3"
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{_closed_port()}"
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_ACCESS_KEY_ID = "test"
    settings.AWS_SECRET_ACCESS_KEY = "test"
    settings.AWS_S3_MAX_ATTEMPTS = 1
    settings.AWS_S3_CONNECT_TIMEOUT = 1
    get_storage.cache_clear()


@pytest.fixture
def storage_down(settings):
    storage_down_settings(settings)
    yield
    get_storage.cache_clear()


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "service_unavailable"


def test_readiness_is_a_503_naming_storage(client, storage_down):
    response = client.get("/readyz")

    assert_unavailable(response)
    checks = response.json()["checks"]
    assert (checks["database"], checks["storage"]) == ("ok", "unavailable")


def test_registering_a_track_is_a_503_and_writes_nothing(uploader_client, settings):
    presigned = upload(uploader_client)  # bytes stored while storage is up
    artists = Artist.objects.count()
    storage_down_settings(settings)

    response = register(uploader_client, presigned["upload_id"])

    assert_unavailable(response)
    assert not Track.objects.exists()
    assert Artist.objects.count() == artists
    assert Upload.objects.get().status == UploadStatus.PENDING


def test_a_multipart_upload_start_is_a_503_and_leaves_no_upload(
    uploader_client, storage_down, settings
):
    body = {
        "filename": "long.flac",
        "content_type": "audio/flac",
        "size": settings.UPLOAD_MULTIPART_THRESHOLD + 1,
    }
    response = uploader_client.post("/api/tracks/presigned_upload/", body, format="json")

    assert_unavailable(response)
    assert not Upload.objects.exists()


def test_a_single_put_upload_start_is_a_503_and_leaves_no_upload(uploader_client, storage_down):
    body = {"filename": "a.mp3", "content_type": "audio/mpeg", "size": 1000}
    response = uploader_client.post("/api/tracks/presigned_upload/", body, format="json")

    assert_unavailable(response)
    assert not Upload.objects.exists()


def test_a_stream_is_a_503_and_opens_no_history_entry(alice_client, storage_down):
    track = factories.TrackFactory()

    response = alice_client.post(f"/api/tracks/{track.pk}/stream/")

    assert_unavailable(response)
    assert not Play.objects.exists()


def test_streams_resume_once_storage_answers_again(alice_client, settings, s3_storage):
    """A failed probe is retried after a second, not remembered for the whole probe period."""
    track = factories.TrackFactory()
    s3_storage.upload_fileobj(
        track.storage_key, io.BytesIO(b"ID3" + bytes(997)), content_type="audio/mpeg"
    )
    settings.STORAGE_PROBE_SECONDS = 60
    s3_storage._probe_error = StorageUnavailable("down a moment ago")
    s3_storage._probe_checked_at = time.monotonic() - 2

    response = alice_client.post(f"/api/tracks/{track.pk}/stream/")

    assert response.status_code == 200
    assert Play.objects.count() == 1


def test_a_database_error_midway_through_a_registration_rolls_it_all_back(uploader_client):
    presigned = upload(uploader_client)
    with mock.patch(
        "core.uploads.registration.track_process_enqueue", side_effect=DatabaseError("gone")
    ):
        response = register(uploader_client, presigned["upload_id"], album="New Album")

    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "detail": "An unexpected error occurred."}
    assert not Track.objects.exists()
    assert not Artist.objects.filter(name="Bill Evans").exists()
    assert not Album.objects.filter(title="New Album").exists()
    assert Upload.objects.get().status == UploadStatus.PENDING


def test_a_database_error_midway_through_a_playlist_edit_rolls_it_all_back(alice, alice_client):
    playlist = factories.PlaylistFactory(owner=alice)
    snapshot = playlist.snapshot_id
    track = factories.TrackFactory()
    with mock.patch("core.playlists.services._record_change", side_effect=DatabaseError("gone")):
        response = alice_client.post(
            f"/api/playlists/{playlist.pk}/add/", {"track_id": track.pk}, format="json"
        )

    assert response.status_code == 500
    assert not PlaylistItem.objects.exists()
    playlist = Playlist.objects.get()
    assert (playlist.items_count, playlist.snapshot_id) == (0, snapshot)
