"""Registration with the title or artist left out: placeholders that the file's tags replace,
never what the uploader typed."""

import subprocess

import pytest

from core.catalog.models import Track
from core.catalog.services import UNKNOWN_ARTIST_NAME
from tests.catalog.uploading import register, upload
from tests.media_pipeline.audio_fixtures import process_now

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def _upload_mp3(client, sample) -> dict:
    return upload(
        client, sample.path.read_bytes(), content_type=sample.content_type, filename="My Song.mp3"
    )


def _detail(client, track_id: int) -> dict:
    return client.get(f"/api/tracks/{track_id}/").json()


def test_left_out_title_and_artist_come_from_the_tags_once_processed(
    uploader_client, audio_samples, django_capture_on_commit_callbacks
):
    presigned = _upload_mp3(uploader_client, audio_samples["mp3"])

    with django_capture_on_commit_callbacks(execute=True):
        response = uploader_client.post(
            "/api/tracks/", {"upload_id": presigned["upload_id"]}, format="json"
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    # Until processing has run: the file name and the placeholder artist.
    assert (body["title"], body["artist"]["name"], body["status"]) == (
        "My Song",
        UNKNOWN_ARTIST_NAME,
        "processing",
    )
    track = _detail(uploader_client, body["id"])
    assert track["status"] == "ready"
    assert track["title"] == "Tone in MP3"
    assert track["artist"]["name"] == "The Sine Waves"
    assert track["album"]["title"] == "Test Tones"
    assert track["track_number"] == 3 and track["year"] == 2019
    assert [genre["name"] for genre in track["genres"]] == ["Ambient"]


def test_typed_title_and_artist_are_kept_and_only_left_out_fields_are_filled(
    uploader_client, audio_samples, django_capture_on_commit_callbacks
):
    presigned = _upload_mp3(uploader_client, audio_samples["mp3"])

    with django_capture_on_commit_callbacks(execute=True):
        track_id = register(
            uploader_client, presigned["upload_id"], title="Typed", artist="Typist", year=2001
        ).json()["id"]

    track = _detail(uploader_client, track_id)
    assert (track["title"], track["artist"]["name"], track["year"]) == ("Typed", "Typist", 2001)
    assert track["album"]["title"] == "Test Tones"  # left out, so the tag filled it


def test_a_file_without_tags_keeps_the_file_name_and_unknown_artist(
    uploader_client, audio_samples, tmp_path, django_capture_on_commit_callbacks
):
    bare = tmp_path / "bare.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(audio_samples["mp3"].path),
         "-map", "0:a", "-map_metadata", "-1", "-c", "copy", "-id3v2_version", "0",
         "-write_xing", "0", str(bare)],
        check=True,
    )  # fmt: skip
    presigned = upload(
        uploader_client,
        bare.read_bytes(),
        content_type="audio/mpeg",
        filename="field recording.mp3",
    )

    with django_capture_on_commit_callbacks(execute=True):
        track_id = uploader_client.post(
            "/api/tracks/", {"upload_id": presigned["upload_id"]}, format="json"
        ).json()["id"]

    track = _detail(uploader_client, track_id)
    assert track["status"] == "ready"
    assert (track["title"], track["artist"]["name"]) == ("field recording", UNKNOWN_ARTIST_NAME)


def test_a_title_typed_later_survives_processing_again(
    uploader_client, audio_samples, django_capture_on_commit_callbacks
):
    presigned = _upload_mp3(uploader_client, audio_samples["mp3"])
    with django_capture_on_commit_callbacks(execute=True):
        track_id = uploader_client.post(
            "/api/tracks/", {"upload_id": presigned["upload_id"]}, format="json"
        ).json()["id"]

    edited = uploader_client.patch(f"/api/tracks/{track_id}/", {"title": "My own title"})
    assert edited.status_code == 200
    assert process_now(Track.objects.get(pk=track_id)) == "ready"

    track = _detail(uploader_client, track_id)
    assert track["title"] == "My own title"
    assert track["artist"]["name"] == "The Sine Waves"  # still a tag's, not typed
    assert Track.objects.get(pk=track_id).placeholder_fields == ["artist"]


def test_repeating_a_registration_that_left_the_title_out_returns_the_same_track(
    uploader_client, audio_samples
):
    presigned = _upload_mp3(uploader_client, audio_samples["mp3"])
    body = {"upload_id": presigned["upload_id"], "artist": "Someone"}

    first = uploader_client.post("/api/tracks/", body, format="json")
    second = uploader_client.post("/api/tracks/", body, format="json")
    typed = register(uploader_client, presigned["upload_id"], title="My Song", artist="Someone")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    # Typing the placeholder's value is another registration, not a repeat.
    assert typed.status_code == 400
    assert typed.json()["code"] == "already_registered"
