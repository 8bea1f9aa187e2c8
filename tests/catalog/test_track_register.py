"""POST /api/tracks/: registering an uploaded file as a track."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.catalog.models import Album, Artist, Genre, Track, TrackStatus
from core.processing.models import JobState, ProcessingJob
from core.uploads.models import Upload, UploadStatus
from media_pipeline.storage import StorageUnavailable, get_storage
from tests import factories
from tests.catalog.uploading import AUDIO, TRACKS_URL, presign, register, sha256_hex, upload
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_uploader_registers_an_uploaded_file_as_a_track_queued_for_processing(
    uploader, uploader_client, django_capture_on_commit_callbacks
):
    presigned = upload(uploader_client, with_checksum=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = register(
            uploader_client,
            presigned["upload_id"],
            album="Kind of Blue",
            genres=["Jazz", "Modal"],
            track_number=3,
            year=1959,
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == "Blue in Green"
    assert body["artist"]["name"] == "Bill Evans"
    assert body["album"] == {"id": body["album"]["id"], "title": "Kind of Blue", "year": 1959}
    assert sorted(g["name"] for g in body["genres"]) == ["Jazz", "Modal"]
    assert body["track_number"] == 3 and body["year"] == 1959
    assert body["status"] == "processing"
    assert body["qualities"] == ["original"]
    assert (body["artwork"], body["loudness"], body["audio"], body["waveform"]) == (
        None,
        None,
        None,
        [],
    )
    assert body["size"] == len(AUDIO)
    assert body["content_type"] == "audio/mpeg"
    assert body["storage_key"] == presigned["key"]
    assert body["checksum"] == sha256_hex(AUDIO)
    assert body["uploaded_by"] == {"id": uploader.pk, "username": "uploader"}
    track = Track.objects.get(pk=body["id"])
    assert track.status == TrackStatus.PROCESSING
    assert track.placeholder_fields == []
    job = ProcessingJob.objects.get(pk=track.pk)
    assert job.state == JobState.QUEUED
    # The job went to the task queue once the registration committed.
    assert DBTaskResult.objects.get().args_kwargs["args"] == [track.pk, str(job.token)]
    upload_row = Upload.objects.get(pk=presigned["upload_id"])
    assert upload_row.status == UploadStatus.REGISTERED
    assert upload_row.track == track


def test_registered_track_records_the_stored_checksum_when_none_was_declared(uploader_client):
    presigned = upload(uploader_client)

    response = register(uploader_client, presigned["upload_id"])

    assert response.status_code == 201
    assert response.json()["checksum"] == sha256_hex(AUDIO)


def test_registration_reuses_an_existing_artist_whatever_the_case(uploader_client):
    artist = factories.ArtistFactory(name="Bill Evans")
    presigned = upload(uploader_client)

    response = register(uploader_client, presigned["upload_id"], artist="  BILL EVANS ")

    assert response.status_code == 201
    assert response.json()["artist"]["id"] == artist.pk
    assert Artist.objects.count() == 1


def test_registration_accepts_an_artist_id(uploader_client):
    artist = factories.ArtistFactory(name="Miles Davis")
    presigned = upload(uploader_client)

    response = uploader_client.post(
        TRACKS_URL,
        {"upload_id": presigned["upload_id"], "title": "So What", "artist_id": artist.pk},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["artist"]["name"] == "Miles Davis"


def test_registration_creates_the_album_under_the_artist_or_reuses_it(uploader_client):
    album = factories.AlbumFactory(title="Kind of Blue", artist__name="Miles Davis")
    factories.AlbumFactory(title="Kind of Blue", artist__name="Someone Else")
    presigned = upload(uploader_client)

    response = register(
        uploader_client, presigned["upload_id"], artist="Miles Davis", album="kind of blue"
    )

    assert response.status_code == 201
    assert response.json()["album"]["id"] == album.pk
    assert Album.objects.count() == 2


def test_an_existing_album_keeps_its_year(uploader_client):
    album = factories.AlbumFactory(title="Best Of", artist__name="Bill Evans", year=1990)
    presigned = upload(uploader_client)

    response = register(uploader_client, presigned["upload_id"], album="Best Of", year=1961)

    assert response.status_code == 201
    assert response.json()["album"]["year"] == 1990
    album.refresh_from_db()
    assert album.year == 1990


def test_registration_creates_new_genres_and_reuses_existing_ones(uploader_client):
    jazz = factories.GenreFactory(name="Jazz")
    presigned = upload(uploader_client)

    response = register(uploader_client, presigned["upload_id"], genres=["jazz", "Cool", "COOL"])

    assert response.status_code == 201
    names = sorted(g["name"] for g in response.json()["genres"])
    assert names == ["Cool", "Jazz"]
    assert Genre.objects.filter(pk=jazz.pk).exists()
    assert Genre.objects.count() == 2


def test_registration_accepts_a_single_genre(uploader_client):
    presigned = upload(uploader_client)

    response = register(uploader_client, presigned["upload_id"], genre="Jazz")

    assert response.status_code == 201
    assert [g["name"] for g in response.json()["genres"]] == ["Jazz"]


def test_identical_double_submit_returns_the_same_track(uploader_client):
    presigned = upload(uploader_client)
    metadata = {"album": "Portrait in Jazz", "genres": ["Jazz"], "year": 1960}
    first = register(uploader_client, presigned["upload_id"], **metadata)

    second = register(uploader_client, presigned["upload_id"], **metadata)

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert Track.objects.count() == 1


def test_resubmitting_with_different_metadata_is_refused(uploader_client):
    presigned = upload(uploader_client)
    register(uploader_client, presigned["upload_id"])

    response = register(uploader_client, presigned["upload_id"], title="Another title")

    assert response.status_code == 400
    assert response.json()["code"] == "already_registered"
    assert "upload_id" in response.json()["fields"]
    assert Track.objects.count() == 1


def test_registering_another_users_upload_is_not_found(uploader_client):
    other = factories.UploaderFactory()
    presigned = upload(client_for(other))

    response = register(uploader_client, presigned["upload_id"])

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Track.objects.exists()


def _presigned_without_bytes(client, **options) -> dict:
    response = presign(client, **options)
    assert response.status_code == 201
    return response.json()


def _store_directly(key: str, data: bytes, content_type: str) -> None:
    """What a store that enforces nothing of the signed request would keep."""
    get_storage().write(key, iter([data]), content_type=content_type)


def _assert_nothing_registered(upload_id: str) -> None:
    assert not Track.objects.exists()
    assert not Artist.objects.exists()
    assert not Album.objects.exists()
    assert not Genre.objects.exists()
    assert Upload.objects.get(pk=upload_id).status == UploadStatus.PENDING


def test_registering_before_uploading_the_bytes_is_refused(uploader_client):
    presigned = _presigned_without_bytes(uploader_client)

    response = register(uploader_client, presigned["upload_id"], album="A", genres=["G"])

    assert response.status_code == 400
    assert response.json()["code"] == "no_object_uploaded"
    assert "upload_id" in response.json()["fields"]
    _assert_nothing_registered(presigned["upload_id"])


def test_an_object_of_another_size_is_refused(uploader_client):
    presigned = _presigned_without_bytes(uploader_client)
    _store_directly(presigned["key"], AUDIO + b"extra", "audio/mpeg")

    response = register(uploader_client, presigned["upload_id"], album="A", genres=["G"])

    assert response.status_code == 400
    assert response.json()["code"] == "size_mismatch"
    assert "size" in response.json()["detail"].lower()
    _assert_nothing_registered(presigned["upload_id"])


def test_an_object_of_another_content_type_is_refused(uploader_client):
    presigned = _presigned_without_bytes(uploader_client)
    _store_directly(presigned["key"], AUDIO, "audio/flac")

    response = register(uploader_client, presigned["upload_id"], album="A", genres=["G"])

    assert response.status_code == 400
    assert response.json()["code"] == "content_type_mismatch"
    assert "content type" in response.json()["detail"].lower()
    _assert_nothing_registered(presigned["upload_id"])


def test_an_object_whose_checksum_differs_from_the_declared_one_is_refused(uploader_client):
    presigned = _presigned_without_bytes(uploader_client, with_checksum=True)
    tampered = bytes(reversed(AUDIO))
    _store_directly(presigned["key"], tampered, "audio/mpeg")

    response = register(uploader_client, presigned["upload_id"], album="A", genres=["G"])

    assert response.status_code == 400
    assert response.json()["code"] == "checksum_mismatch"
    _assert_nothing_registered(presigned["upload_id"])


def test_an_expired_upload_is_refused(uploader_client):
    presigned = upload(uploader_client)
    Upload.objects.filter(pk=presigned["upload_id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = register(uploader_client, presigned["upload_id"], album="A")

    assert response.status_code == 400
    assert response.json()["code"] == "upload_expired"
    assert response.json()["detail"] == "The upload expired; start a new one."
    _assert_nothing_registered(presigned["upload_id"])


def test_a_discarded_upload_is_refused_as_expired(uploader_client):
    presigned = upload(uploader_client)
    Upload.objects.filter(pk=presigned["upload_id"]).update(status=UploadStatus.DISCARDED)

    response = register(uploader_client, presigned["upload_id"])

    assert response.status_code == 400
    assert response.json()["code"] == "upload_expired"
    assert not Track.objects.exists()


def test_an_unknown_upload_is_not_found(uploader_client):
    response = register(uploader_client, "00000000-0000-4000-8000-000000000000")

    assert response.status_code == 404


def test_registration_answers_503_and_writes_nothing_when_storage_is_down(
    uploader_client, monkeypatch
):
    presigned = upload(uploader_client)

    def unavailable(key):
        raise StorageUnavailable("connection refused")

    monkeypatch.setattr(get_storage(), "head", unavailable)

    response = register(uploader_client, presigned["upload_id"], album="A", genres=["G"])

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert "connection refused" not in response.json()["detail"]
    _assert_nothing_registered(presigned["upload_id"])


def test_listener_cannot_register_a_track(alice_client):
    response = register(alice_client, "00000000-0000-4000-8000-000000000000")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_anonymous_cannot_register_a_track(api_client):
    response = register(api_client, "00000000-0000-4000-8000-000000000000")

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"upload_id": "not-a-uuid"}, "upload_id"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"artist": ""}, "artist"),
        ({"artist": None}, "artist"),
        ({"artist_id": 1}, "artist"),
        ({"genre": "Jazz", "genres": ["Jazz"]}, "genres"),
        ({"genres": "Jazz"}, "genres"),
        ({"genres": [""]}, "genres"),
        ({"genres": [f"G{n}" for n in range(21)]}, "genres"),
        ({"track_number": 0}, "track_number"),
        ({"track_number": "one"}, "track_number"),
        ({"year": 999}, "year"),
        ({"year": 10000}, "year"),
    ],
)
def test_bad_registration_input_is_refused_naming_the_field(uploader_client, changes, field):
    presigned = upload(uploader_client)

    response = register(uploader_client, presigned["upload_id"], **changes)

    assert response.status_code == 400
    assert field in response.json()["fields"]
    _assert_nothing_registered(presigned["upload_id"])


def test_an_unknown_artist_id_is_refused(uploader_client):
    presigned = upload(uploader_client)

    response = uploader_client.post(
        TRACKS_URL,
        {"upload_id": presigned["upload_id"], "title": "T", "artist_id": 999999},
        format="json",
    )

    assert response.status_code == 400
    assert "artist_id" in response.json()["fields"]
    assert not Track.objects.exists()
