"""End to end on moto's standalone S3 server: a real audio file goes up through the presigned
URL, is registered through the API, processed by a real worker process, and streamed as its
mobile variant."""

import io
import subprocess

import pytest
import requests
from PIL import Image

from core.catalog.models import TrackStatus
from core.processing.models import JobState, ProcessingJob
from tests.catalog.uploading import PRESIGN_URL, TRACKS_URL
from tests.media_pipeline.worker_helpers import run_batch_worker, s3_worker_env

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _upload_through_the_api(client, sample) -> dict:
    data = sample.path.read_bytes()
    grant = client.post(
        PRESIGN_URL,
        {
            "filename": "tone.flac",
            "content_type": sample.content_type,
            "size": len(data),
            "sha256": sample.sha256,
        },
        format="json",
    )
    assert grant.status_code == 201, grant.json()
    grant = grant.json()
    put = requests.request(
        grant["method"], grant["url"], data=data, headers=grant["headers"], timeout=10
    )
    assert put.status_code == 200, put.text
    return grant


def test_upload_is_processed_by_a_worker_and_streams_as_its_aac_variant(
    s3_storage, audio_samples, uploader_client, alice_client, tmp_path
):
    sample = audio_samples["flac"]
    grant = _upload_through_the_api(uploader_client, sample)

    # Title and artist left out: the file's tags fill them in.
    registered = uploader_client.post(TRACKS_URL, {"upload_id": grant["upload_id"]}, format="json")
    assert registered.status_code == 201, registered.json()
    track = registered.json()
    assert track["status"] == "processing"
    assert (track["title"], track["artist"]["name"]) == ("tone", "Unknown artist")
    assert track["qualities"] == ["original"]
    assert alice_client.get(f"{TRACKS_URL}{track['id']}/").status_code == 404

    log = tmp_path / "worker.log"
    run_batch_worker(s3_worker_env(), log)

    assert ProcessingJob.objects.get(pk=track["id"]).state == JobState.DONE, log.read_text()
    detail = alice_client.get(f"{TRACKS_URL}{track['id']}/").json()
    assert detail["title"] == "Tone in FLAC"
    assert detail["artist"]["name"] == "The Sine Waves"
    assert detail["album"]["title"] == "Test Tones"
    assert detail["duration"] == pytest.approx(5.0, abs=0.1)
    assert detail["qualities"] == ["original", "normal", "low"]
    assert len(detail["waveform"]) == 1000
    assert detail["loudness"]["replay_gain_db"] == pytest.approx(
        -18 - detail["loudness"]["lufs"], abs=0.01
    )
    assert detail["audio"]["codec"] == "flac"
    thumbnail = requests.get(detail["artwork"]["64"], timeout=10)
    assert thumbnail.status_code == 200
    assert Image.open(io.BytesIO(thumbnail.content)).size == (64, 64)

    stream = alice_client.post(f"{TRACKS_URL}{track['id']}/stream/", {"quality": "normal"})
    assert stream.status_code == 200, stream.json()
    body = stream.json()
    assert body["quality"] == "normal"
    assert body["content_type"] == "audio/mp4"
    audio = requests.get(body["url"], timeout=10)
    assert audio.status_code == 200
    assert audio.content[4:8] == b"ftyp"  # an MP4/M4A container starts with its ftyp box
    assert len(audio.content) == body["size"]
    (tmp_path / "normal.m4a").write_bytes(audio.content)
    probed = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
         "stream=codec_name", "-of", "csv=p=0", str(tmp_path / "normal.m4a")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert probed.stdout.strip() == "aac"


def test_a_file_that_is_not_audio_fails_with_a_reason_its_uploader_sees(
    s3_storage, uploader_client, alice_client, tmp_path
):
    data = b"This is a shopping list, not a song.\n" * 40
    grant = uploader_client.post(
        PRESIGN_URL,
        {"filename": "list.mp3", "content_type": "audio/mpeg", "size": len(data)},
        format="json",
    ).json()
    put = requests.request(
        grant["method"], grant["url"], data=data, headers=grant["headers"], timeout=10
    )
    assert put.status_code == 200, put.text
    track_id = uploader_client.post(
        TRACKS_URL, {"upload_id": grant["upload_id"], "title": "List"}, format="json"
    ).json()["id"]

    run_batch_worker(s3_worker_env(), tmp_path / "worker.log")

    mine = uploader_client.get(f"{TRACKS_URL}{track_id}/").json()
    assert mine["status"] == TrackStatus.FAILED
    assert mine["failure_reason"]
    assert alice_client.get(f"{TRACKS_URL}{track_id}/").status_code == 404
    assert s3_storage.head(grant["key"]).size == len(data)  # kept for a moderator to inspect
