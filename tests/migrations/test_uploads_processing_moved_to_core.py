"""Moving the upload and processing models from media_pipeline into core keeps every row."""

import uuid
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.processing.models import ProcessingJob, TrackMedia, TrackVariant
from core.uploads.models import ImportedFile, ImportFailure, Upload

pytestmark = pytest.mark.django_db(transaction=True)

MOVE = ("core", "0014_uploads_processing_models_from_media_pipeline")
STATE_DELETE = ("media_pipeline", "0006_models_moved_to_core")


def _before_the_move(executor: MigrationExecutor) -> list[tuple[str, str]]:
    """The leaf migrations of core and media_pipeline just before the move."""
    graph = executor.loader.graph
    parents = {parent.key for parent in graph.node_map[MOVE].parents} - {STATE_DELETE}
    parents |= {parent.key for parent in graph.node_map[STATE_DELETE].parents}
    return sorted(key for key in parents if key[0] in {"core", "media_pipeline"})


def _insert_with_old_models(apps) -> dict:
    user = apps.get_model("core", "User").objects.create(username="mover", password="!")
    artist = apps.get_model("core", "Artist").objects.create(name="Mover")
    track = apps.get_model("core", "Track").objects.create(
        title="Carried over",
        artist=artist,
        storage_key="audio/2026/01/carried.mp3",
        size=10,
        content_type="audio/mpeg",
        status="ready",
        uploaded_by=user,
    )
    upload = apps.get_model("media_pipeline", "Upload").objects.create(
        id=uuid.uuid4(),
        user=user,
        key=track.storage_key,
        filename="carried.mp3",
        content_type="audio/mpeg",
        size=10,
        status="registered",
        track=track,
        expires_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    apps.get_model("media_pipeline", "TrackMedia").objects.create(
        track=track, codec="mp3", waveform=[0.5, 1.0], lyrics="la la"
    )
    apps.get_model("media_pipeline", "TrackVariant").objects.create(
        track=track,
        quality="low",
        key="derived/tracks/1/low.m4a",
        codec="aac",
        content_type="audio/mp4",
        size=5,
    )
    apps.get_model("media_pipeline", "ProcessingJob").objects.create(
        track=track, state="done", enqueued_at=datetime(2026, 1, 1, tzinfo=UTC), attempts=1
    )
    apps.get_model("media_pipeline", "ImportFailure").objects.create(
        sha256="b" * 64, path="folder/broken.mp3", reason="not audio"
    )
    apps.get_model("media_pipeline", "ImportedFile").objects.create(
        sha256="a" * 64, path="folder/carried.mp3", size=10, track=track, imported_by=user
    )
    return {"track": track.pk, "upload": upload.pk}


def test_rows_written_before_the_move_are_read_through_the_models_in_core():
    executor = MigrationExecutor(connection)
    before = _before_the_move(executor)
    executor.migrate(before)
    ids = _insert_with_old_models(executor.loader.project_state(before).apps)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    upload = Upload.objects.get(pk=ids["upload"])
    assert (upload.filename, upload.status, upload.track_id) == (
        "carried.mp3",
        "registered",
        ids["track"],
    )
    media = TrackMedia.objects.get(track_id=ids["track"])
    assert (media.codec, media.waveform, media.lyrics) == ("mp3", [0.5, 1.0], "la la")
    assert TrackVariant.objects.get(track_id=ids["track"]).quality == "low"
    assert ProcessingJob.objects.get(track_id=ids["track"]).state == "done"
    assert ImportedFile.objects.get(track_id=ids["track"]).path == "folder/carried.mp3"
    assert ImportFailure.objects.get(sha256="b" * 64).reason == "not audio"


def test_moderators_keep_the_permission_to_view_uploads_across_the_move():
    executor = MigrationExecutor(connection)
    before = _before_the_move(executor)
    executor.migrate(before)
    moderators = Group.objects.get(name="Moderators")
    assert moderators.permissions.filter(
        content_type__app_label="media_pipeline", codename="view_upload"
    ).exists(), "before the move, the permission is on media_pipeline's Upload"

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moderators = Group.objects.get(name="Moderators")
    assert moderators.permissions.filter(
        content_type__app_label="core", codename="view_upload"
    ).exists()
