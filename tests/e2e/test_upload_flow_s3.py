"""End to end on moto's standalone S3 server: presign, PUT real bytes, register, list (the
track waits for a worker; tests/e2e/test_pipeline_s3.py runs one).

moto accepts bodies of another length, type or checksum, so this proves the flow works,
not that S3 refuses a bad upload.
"""

import hashlib
import os

import pytest
import requests

from core.catalog.models import Track, TrackStatus
from tests.catalog.uploading import TRACKS_URL, presign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

AUDIO = os.urandom(64 * 1024)


@pytest.mark.parametrize("with_checksum", [False, True])
def test_uploaded_file_becomes_a_track_its_uploader_sees_processing(
    s3_storage, uploader_client, alice_client, with_checksum
):
    presigned = presign(
        uploader_client, data=AUDIO, content_type="audio/flac", with_checksum=with_checksum
    )
    assert presigned.status_code == 201, presigned.json()
    grant = presigned.json()
    assert grant["url"].startswith(s3_storage.client.meta.endpoint_url)

    put = requests.request(
        grant["method"], grant["url"], data=AUDIO, headers=grant["headers"], timeout=10
    )
    assert put.status_code == 200, put.text

    registered = uploader_client.post(
        TRACKS_URL,
        {
            "upload_id": grant["upload_id"],
            "title": "Sketches",
            "artist": "Upload Flow",
            "genre": "Test",
        },
        format="json",
    )
    assert registered.status_code == 201, registered.json()
    assert registered.json()["storage_key"] == grant["key"]

    listed = uploader_client.get(TRACKS_URL, {"search": "sketches"}).json()["results"]
    assert [item["id"] for item in listed] == [registered.json()["id"]]
    assert listed[0]["size"] == len(AUDIO)
    assert listed[0]["content_type"] == "audio/flac"
    assert listed[0]["status"] == "processing"
    assert alice_client.get(TRACKS_URL, {"search": "sketches"}).json()["results"] == []
    track = Track.objects.get(pk=registered.json()["id"])
    assert track.status == TrackStatus.PROCESSING
    if with_checksum:
        assert track.checksum_sha256 == hashlib.sha256(AUDIO).hexdigest()
    assert s3_storage.read_range(grant["key"], 0, 15) == AUDIO[:16]


def test_registration_before_the_put_is_refused_on_s3(s3_storage, uploader_client):
    grant = presign(uploader_client, data=AUDIO).json()

    response = uploader_client.post(
        TRACKS_URL,
        {"upload_id": grant["upload_id"], "title": "Early", "artist": "Impatient"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "no_object_uploaded"
    assert not Track.objects.exists()
