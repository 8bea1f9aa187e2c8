"""POST /api/tracks/presigned_upload/: starting an upload."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.uploads.models import Upload, UploadStatus
from media_pipeline.audio.formats import UPLOAD_TYPES
from media_pipeline.storage import StorageUnavailable, get_storage
from tests.catalog.uploading import AUDIO, PRESIGN_URL, presign, put_bytes, sha256_hex

pytestmark = pytest.mark.django_db

KEY_RE = re.compile(r"^audio/\d{4}/\d{2}/[0-9a-f]{32}\.mp3$")


def test_uploader_gets_a_presigned_put_for_a_server_made_key(uploader, uploader_client, settings):
    settings.UPLOAD_URL_EXPIRY_SECONDS = 600
    settings.UPLOAD_REGISTER_WINDOW_SECONDS = 3600
    before = timezone.now()

    response = presign(uploader_client, filename="Take Five (live) é.mp3")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"upload_id", "key", "method", "url", "headers", "expires_at", "multipart"}
    assert KEY_RE.match(body["key"])
    assert body["method"] == "PUT"
    assert body["headers"]["Content-Type"] == "audio/mpeg"
    assert body["headers"]["Content-Length"] == str(len(AUDIO))
    assert body["headers"]["If-None-Match"] == "*"
    url_expiry = parse_datetime(body["expires_at"])
    assert before + timedelta(seconds=590) <= url_expiry <= timezone.now() + timedelta(seconds=610)
    row = Upload.objects.get(pk=body["upload_id"])
    assert row.user == uploader
    assert row.key == body["key"]
    assert row.filename == "Take Five (live) é.mp3"
    assert row.size == len(AUDIO)
    assert row.content_type == "audio/mpeg"
    assert row.status == UploadStatus.PENDING
    assert before + timedelta(seconds=3600) <= row.expires_at
    assert row.expires_at <= timezone.now() + timedelta(seconds=3600)


def test_the_returned_request_stores_the_bytes(uploader_client):
    body = presign(uploader_client).json()

    response = put_bytes(body, AUDIO)

    assert response.status_code == 200
    assert get_storage().read_range(body["key"], 0, len(AUDIO) - 1) == AUDIO


def test_a_declared_checksum_is_signed_and_kept(uploader_client):
    response = presign(uploader_client, with_checksum=True)

    assert response.status_code == 201
    assert "x-amz-checksum-sha256" in response.json()["headers"]
    assert Upload.objects.get().sha256 == sha256_hex(AUDIO)


def test_an_uppercase_checksum_is_stored_lowercase(uploader_client):
    body = {
        "filename": "a.mp3",
        "content_type": "audio/mpeg",
        "size": 10,
        "sha256": sha256_hex(AUDIO).upper(),
    }

    response = uploader_client.post(PRESIGN_URL, body, format="json")

    assert response.status_code == 201
    assert Upload.objects.get().sha256 == sha256_hex(AUDIO)


def test_keys_never_come_from_the_filename(uploader_client):
    first = presign(uploader_client, filename="same.mp3").json()
    second = presign(uploader_client, filename="same.mp3").json()

    assert first["key"] != second["key"]
    assert "same" not in first["key"]


@pytest.mark.parametrize(
    ("content_type", "extension"),
    [("audio/flac", "flac"), ("AUDIO/X-FLAC", "flac"), ("audio/ogg", "ogg"), ("audio/mp4", "m4a")],
)
def test_the_key_extension_follows_the_content_type(uploader_client, content_type, extension):
    response = presign(uploader_client, content_type=content_type)

    assert response.status_code == 201
    assert response.json()["key"].endswith(f".{extension}")
    assert response.json()["headers"]["Content-Type"] == content_type.lower()


def test_every_allowed_type_is_an_audio_type():
    assert all(content_type.startswith("audio/") for content_type in UPLOAD_TYPES)


def test_staff_may_presign(staff_client):
    assert presign(staff_client).status_code == 201


def test_listener_cannot_presign_upload(alice_client):
    response = presign(alice_client)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Upload.objects.exists()


def test_moderator_without_upload_role_may_presign_as_staff(moderator_client):
    assert presign(moderator_client).status_code == 201


def test_anonymous_cannot_presign_upload(api_client):
    response = presign(api_client)

    assert response.status_code == 401
    assert not Upload.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"content_type": "video/mp4"}, "content_type"),
        ({"content_type": "application/octet-stream"}, "content_type"),
        ({"content_type": "audio/mpeg; charset=binary"}, "content_type"),
        ({"content_type": "text/html"}, "content_type"),
        ({"content_type": ""}, "content_type"),
        ({"size": 0}, "size"),
        ({"size": -5}, "size"),
        ({"size": "big"}, "size"),
        ({"size": None}, "size"),
        ({"filename": ""}, "filename"),
        ({"filename": "x" * 256}, "filename"),
        ({"filename": "dir/song.mp3"}, "filename"),
        ({"filename": "..\\song.mp3"}, "filename"),
        ({"filename": "song\n.mp3"}, "filename"),
        ({"filename": "song\x00.mp3"}, "filename"),
        ({"filename": "song\u202e.mp3"}, "filename"),
        ({"filename": ".."}, "filename"),
        ({"sha256": "abc"}, "sha256"),
        ({"sha256": "z" * 64}, "sha256"),
    ],
)
def test_bad_presign_input_is_refused_naming_the_field(uploader_client, changes, field):
    body = {"filename": "song.mp3", "content_type": "audio/mpeg", "size": 100, **changes}

    response = uploader_client.post(PRESIGN_URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]
    assert not Upload.objects.exists()


def test_missing_fields_are_named(uploader_client):
    response = uploader_client.post(PRESIGN_URL, {}, format="json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"filename", "content_type", "size"}


def test_files_over_the_size_limit_are_refused(uploader_client, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    body = {"filename": "song.mp3", "content_type": "audio/mpeg"}

    at_limit = uploader_client.post(PRESIGN_URL, {**body, "size": 1000}, format="json")
    over_limit = uploader_client.post(PRESIGN_URL, {**body, "size": 1001}, format="json")

    assert at_limit.status_code == 201
    assert over_limit.status_code == 400
    assert "1000 bytes" in over_limit.json()["fields"]["size"][0]


def test_presign_answers_503_and_keeps_nothing_when_storage_is_down(uploader_client, monkeypatch):
    def unavailable(*args, **kwargs):
        raise StorageUnavailable("credentials missing")

    monkeypatch.setattr(get_storage(), "presign_upload", unavailable)

    response = presign(uploader_client)

    assert response.status_code == 503
    assert "credentials" not in response.json()["detail"]
    assert not Upload.objects.exists()


def test_presigning_is_throttled_per_user(uploader_client, throttle_rates):
    throttle_rates(presign="2/min")

    statuses = [presign(uploader_client).status_code for _ in range(3)]

    assert statuses == [201, 201, 429]
