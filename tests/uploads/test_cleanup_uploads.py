"""manage.py cleanup_uploads: expired pending uploads are discarded with their objects."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.uploads.models import Upload, UploadStatus
from media_pipeline.storage import ObjectNotFound, StorageUnavailable, get_storage
from tests.catalog.uploading import presign, register, upload

pytestmark = pytest.mark.django_db


def _expire(upload_id: str, seconds_ago: int = 1) -> None:
    Upload.objects.filter(pk=upload_id).update(
        expires_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def _run(*args: str) -> str:
    out = StringIO()
    call_command("cleanup_uploads", *args, stdout=out, stderr=out)
    return out.getvalue()


def _object_exists(key: str) -> bool:
    try:
        get_storage().head(key)
    except ObjectNotFound:
        return False
    return True


def test_expired_pending_uploads_are_discarded_and_their_objects_deleted(uploader_client):
    expired = upload(uploader_client)
    _expire(expired["upload_id"])
    current = upload(uploader_client)

    output = _run()

    assert Upload.objects.get(pk=expired["upload_id"]).status == UploadStatus.DISCARDED
    assert not _object_exists(expired["key"])
    assert Upload.objects.get(pk=current["upload_id"]).status == UploadStatus.PENDING
    assert _object_exists(current["key"])
    assert (
        "Discarded 1 expired uploads and aborted 0 orphaned multipart uploads; 0 failed" in output
    )


def test_uploads_whose_bytes_never_came_are_discarded_too(uploader_client):
    presigned = presign(uploader_client).json()
    _expire(presigned["upload_id"])

    _run()

    assert Upload.objects.get(pk=presigned["upload_id"]).status == UploadStatus.DISCARDED


def test_registered_uploads_are_never_touched(uploader_client):
    presigned = upload(uploader_client)
    assert register(uploader_client, presigned["upload_id"]).status_code == 201
    _expire(presigned["upload_id"])

    output = _run()

    assert Upload.objects.get(pk=presigned["upload_id"]).status == UploadStatus.REGISTERED
    assert _object_exists(presigned["key"])
    assert "Discarded 0 expired uploads" in output


def test_dry_run_changes_nothing(uploader_client):
    expired = upload(uploader_client)
    _expire(expired["upload_id"])

    output = _run("--dry-run")

    assert Upload.objects.get(pk=expired["upload_id"]).status == UploadStatus.PENDING
    assert _object_exists(expired["key"])
    assert f"would discard {expired['key']}" in output
    assert "Would discard 1 expired uploads and abort 0 orphaned multipart uploads." in output


def test_older_than_leaves_recently_expired_uploads_for_later(uploader_client):
    recent = upload(uploader_client)
    _expire(recent["upload_id"], seconds_ago=60)
    old = upload(uploader_client)
    _expire(old["upload_id"], seconds_ago=7200)

    _run("--older-than", "3600")

    assert Upload.objects.get(pk=recent["upload_id"]).status == UploadStatus.PENDING
    assert Upload.objects.get(pk=old["upload_id"]).status == UploadStatus.DISCARDED


def test_a_storage_failure_keeps_the_upload_for_a_later_run(uploader_client, monkeypatch):
    expired = upload(uploader_client)
    _expire(expired["upload_id"])
    storage = get_storage()
    real_delete = storage.delete

    def unavailable(key):
        raise StorageUnavailable("timeout")

    monkeypatch.setattr(storage, "delete", unavailable)
    out = StringIO()
    with pytest.raises(CommandError, match="1 uploads could not be cleaned up"):
        call_command("cleanup_uploads", stdout=out, stderr=out)

    assert f"failed {expired['key']}: timeout" in out.getvalue()
    assert "aborted 0 orphaned multipart uploads; 1 failed and will be retried." in out.getvalue()
    assert Upload.objects.get(pk=expired["upload_id"]).status == UploadStatus.PENDING

    monkeypatch.setattr(storage, "delete", real_delete)
    _run()

    assert Upload.objects.get(pk=expired["upload_id"]).status == UploadStatus.DISCARDED
    assert not _object_exists(expired["key"])


def test_a_negative_older_than_is_refused():
    with pytest.raises(CommandError, match="--older-than"):
        _run("--older-than", "-1")


def test_an_unfinished_multipart_upload_is_aborted_with_its_parts(uploader):
    storage = get_storage()
    key = "audio/2026/01/abandoned.flac"
    multipart_id = storage.create_multipart(key, content_type="audio/flac")
    storage.write_part(key, multipart_id, 1, iter([b"data"]), size=4)
    assert storage.list_multipart_uploads("audio/") != []
    abandoned = Upload.objects.create(
        user=uploader,
        key=key,
        filename="big.flac",
        content_type="audio/flac",
        size=10 * 1024**2,
        multipart_id=multipart_id,
        part_size=5 * 1024**2,
        expires_at=timezone.now() - timedelta(seconds=1),
    )

    _run()

    assert storage.list_multipart_uploads("audio/") == []
    abandoned.refresh_from_db()
    assert abandoned.status == UploadStatus.DISCARDED


def test_multipart_uploads_that_no_upload_owns_are_aborted(db, monkeypatch):
    storage = get_storage()
    orphan_id = storage.create_multipart("audio/2026/01/orphan.flac", content_type="audio/flac")
    monkeypatch.setattr(
        "core.management.commands.cleanup_uploads.ORPHAN_MULTIPART_AGE",
        timedelta(0),
    )

    output = _run()

    assert "aborted multipart upload of audio/2026/01/orphan.flac" in output
    assert orphan_id not in [u.upload_id for u in storage.list_multipart_uploads("audio/")]
