"""multipart_abort_stale: cleanup aborts multipart uploads nobody will finish."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.uploads.models import Upload, UploadStatus
from core.uploads.multipart import multipart_abort_stale
from media_pipeline.storage import StorageUnavailable, get_storage
from media_pipeline.storage import local as local_module
from tests.uploads.multipart_helpers import start, use_small_parts

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _small_parts(settings):
    use_small_parts(settings)


def open_ids() -> set[str]:
    return {u.upload_id for u in get_storage().list_multipart_uploads("audio/")}


@pytest.fixture
def uploads(uploader, monkeypatch):
    """Multipart uploads opened two hours ago in each state, one with no upload row, and a
    recent one with no upload row either."""
    two_hours_ago = local_module._now() - 2 * 3600
    with monkeypatch.context() as m:
        m.setattr(local_module, "_now", lambda: two_hours_ago)
        live = start(uploader)[0]
        expired = start(uploader)[0]
        discarded = start(uploader)[0]
        orphan = get_storage().create_multipart("audio/2026/orphan.flac", content_type="audio/flac")
    Upload.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    Upload.objects.filter(pk=discarded.pk).update(status=UploadStatus.DISCARDED)
    recent_orphan = get_storage().create_multipart(
        "audio/2026/recent.flac", content_type="audio/flac"
    )
    return {
        "live": live.multipart_id,
        "expired": expired.multipart_id,
        "discarded": discarded.multipart_id,
        "orphan": orphan,
        "recent_orphan": recent_orphan,
    }


def test_old_uploads_no_pending_upload_owns_are_aborted(uploads):
    report = multipart_abort_stale(older_than=HOUR)

    assert open_ids() == {uploads["live"], uploads["recent_orphan"]}
    assert len(report.aborted) == 3
    assert "audio/2026/orphan.flac" in report.aborted
    assert report.failed == {}


def test_a_dry_run_aborts_nothing(uploads):
    report = multipart_abort_stale(older_than=HOUR, dry_run=True)

    assert len(report.aborted) == 3
    assert open_ids() == set(uploads.values())


def test_a_longer_age_spares_younger_uploads(uploads):
    report = multipart_abort_stale(older_than=3 * HOUR)

    assert report.aborted == []
    assert open_ids() == set(uploads.values())


def test_only_uploads_under_the_prefix_are_touched(uploads):
    variant = get_storage().create_multipart("derived/tracks/1/low.m4a", content_type="audio/mp4")

    multipart_abort_stale(older_than=timedelta(0))

    assert variant in {u.upload_id for u in get_storage().list_multipart_uploads("derived/")}


def test_a_failed_abort_is_reported_and_the_rest_go_on(uploads, monkeypatch):
    storage = get_storage()
    real_abort = storage.abort_multipart

    def flaky_abort(key, upload_id):
        if upload_id == uploads["orphan"]:
            raise StorageUnavailable("object storage unreachable")
        real_abort(key, upload_id)

    monkeypatch.setattr(storage, "abort_multipart", flaky_abort)

    report = multipart_abort_stale(older_than=HOUR)

    assert report.failed == {"audio/2026/orphan.flac": "object storage unreachable"}
    assert len(report.aborted) == 2
    assert uploads["orphan"] in open_ids()
