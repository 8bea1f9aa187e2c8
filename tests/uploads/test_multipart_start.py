"""multipart_start and the part layout: what a large upload is told to send."""

import pytest

from core.api.errors import ServiceUnavailable
from core.uploads.multipart import (
    FIRST_BATCH,
    MAX_PARTS,
    multipart_part_size,
    multipart_start,
    needs_multipart,
)
from media_pipeline.storage import StorageUnavailable, get_storage
from tests.uploads.multipart_helpers import new_upload, put_part, start

pytestmark = pytest.mark.django_db

MiB = 1024**2


def test_files_over_the_threshold_go_in_parts(settings):
    settings.UPLOAD_MULTIPART_THRESHOLD = 64 * MiB

    assert not needs_multipart(64 * MiB)
    assert needs_multipart(64 * MiB + 1)


def test_the_part_size_is_the_setting_while_10000_parts_suffice(settings):
    settings.UPLOAD_PART_SIZE = 16 * MiB

    assert multipart_part_size(300 * 10**6) == 16 * MiB
    assert multipart_part_size(MAX_PARTS * 16 * MiB) == 16 * MiB


def test_the_part_size_grows_by_whole_mib_past_10000_parts(settings):
    settings.UPLOAD_PART_SIZE = 5 * MiB
    size = MAX_PARTS * 5 * MiB + 1

    part_size = multipart_part_size(size)

    assert part_size == 6 * MiB
    assert -(-size // part_size) <= MAX_PARTS


def test_start_opens_the_upload_in_storage_and_presigns_the_first_parts(uploader, settings):
    settings.UPLOAD_PART_SIZE = 5 * MiB
    size = 12 * MiB

    upload, started = start(uploader, size=size)

    upload.refresh_from_db()
    assert (upload.part_size, started.part_size, started.part_count) == (5 * MiB, 5 * MiB, 3)
    opened = get_storage().list_multipart_uploads("audio/")
    assert [(u.key, u.upload_id) for u in opened] == [(upload.key, upload.multipart_id)]
    assert [p.part_number for p in started.parts] == [1, 2, 3]
    assert [p.request.headers["Content-Length"] for p in started.parts] == [
        str(5 * MiB),
        str(5 * MiB),
        str(2 * MiB),
    ]


def test_a_presigned_part_from_the_start_stores_its_bytes(uploader, settings):
    settings.UPLOAD_PART_SIZE = 5 * MiB
    upload, started = start(uploader, size=6 * MiB)
    last = started.parts[1].request

    response = put_part(
        {"method": last.method, "url": last.url, "headers": last.headers}, b"x" * MiB
    )

    assert response.status_code == 200
    assert get_storage().list_parts(upload.key, upload.multipart_id)[0].size == MiB


def test_only_the_first_batch_is_presigned_up_front(uploader, settings):
    settings.UPLOAD_PART_SIZE = 5 * MiB

    _, started = start(uploader, size=(FIRST_BATCH + 20) * 5 * MiB)

    assert started.part_count == FIRST_BATCH + 20
    assert [p.part_number for p in started.parts] == list(range(1, FIRST_BATCH + 1))


def test_storage_down_at_start_is_service_unavailable(uploader, monkeypatch):
    upload = new_upload(uploader, size=100 * MiB)

    def unavailable(*args, **kwargs):
        raise StorageUnavailable("broken")

    monkeypatch.setattr(get_storage(), "create_multipart", unavailable)

    with pytest.raises(ServiceUnavailable):
        multipart_start(upload=upload)
    upload.refresh_from_db()
    assert upload.multipart_id == ""
