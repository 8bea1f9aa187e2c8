"""End to end on a strict S3 (LocalStack checking SigV4): what a presigned URL does not allow.

moto accepts every request below; LocalStack refuses each one, as AWS S3 does, and the tests
assert the status and S3 error code it answers. Requests go over real HTTP with `requests`,
as a client sends them; after a refused upload, registering it finds no object and creates no
track.
"""

import hashlib
import os
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from core.catalog.models import Track
from media_pipeline.storage import ObjectNotFound
from tests import factories
from tests.catalog.uploading import presign, register
from tests.strict_s3 import s3_error_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

AUDIO = os.urandom(32 * 1024)
OTHER_AUDIO = os.urandom(len(AUDIO))
# X-Amz-Date has whole seconds, so a URL signed for 1 s is surely expired 2 s after signing.
PAST_A_ONE_SECOND_EXPIRY = 2.1


def start_upload(client, *, with_checksum: bool = True) -> dict:
    response = presign(client, data=AUDIO, content_type="audio/mpeg", with_checksum=with_checksum)
    assert response.status_code == 201, response.json()
    return response.json()


def put(
    grant: dict, data=AUDIO, *, url: str | None = None, headers: dict | None = None
) -> requests.Response:
    """PUT `data` with the grant's headers; a header changed to None is left out. requests
    sends the real length of `data` as Content-Length."""
    sent = {**grant["headers"], **(headers or {})}
    return requests.put(url or grant["url"], data=data, headers=sent, timeout=10)


def change_signature(url: str) -> str:
    head, signature = url.split("X-Amz-Signature=")
    return f"{head}X-Amz-Signature={'1' if signature[0] == '0' else '0'}{signature[1:]}"


def move_to_key(url: str, key: str, new_key: str) -> str:
    moved = url.replace(f"/{key}?", f"/{new_key}?")
    assert moved != url
    return moved


def expires_param(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["X-Amz-Expires"][0])


def assert_refused(response: requests.Response, status: int, code: str) -> None:
    assert (response.status_code, s3_error_code(response)) == (status, code), response.text


def assert_registers_nothing(client, grant: dict) -> None:
    response = register(client, grant["upload_id"])
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "no_object_uploaded"
    assert not Track.objects.exists()


def test_an_honest_upload_is_stored_and_registered(strict_s3_storage, uploader_client, settings):
    grant = start_upload(uploader_client)
    assert expires_param(grant["url"]) == settings.UPLOAD_URL_EXPIRY_SECONDS

    assert put(grant).status_code == 200
    response = register(uploader_client, grant["upload_id"])

    assert response.status_code == 201, response.json()
    assert Track.objects.get().checksum_sha256 == hashlib.sha256(AUDIO).hexdigest()
    assert strict_s3_storage.read_range(grant["key"], 0, len(AUDIO) - 1) == AUDIO


def test_an_expired_upload_url_is_refused(strict_s3_storage, uploader_client, settings):
    settings.UPLOAD_URL_EXPIRY_SECONDS = 1
    grant = start_upload(uploader_client)
    time.sleep(PAST_A_ONE_SECOND_EXPIRY)

    response = put(grant)

    assert_refused(response, 403, "AccessDenied")
    assert "Request has expired" in response.text
    assert_registers_nothing(uploader_client, grant)


def test_an_upload_url_with_a_changed_signature_is_refused(strict_s3_storage, uploader_client):
    grant = start_upload(uploader_client)

    response = put(grant, url=change_signature(grant["url"]))

    assert_refused(response, 403, "SignatureDoesNotMatch")
    assert_registers_nothing(uploader_client, grant)


@pytest.mark.parametrize("target", ["another upload's key", "a key the client chose"])
def test_an_upload_url_moved_to_another_key_is_refused(strict_s3_storage, uploader_client, target):
    grant = start_upload(uploader_client)
    other = start_upload(uploader_client) if target == "another upload's key" else None
    new_key = other["key"] if other else "audio/chosen-by-the-client.mp3"

    response = put(grant, url=move_to_key(grant["url"], grant["key"], new_key))

    assert_refused(response, 403, "SignatureDoesNotMatch")
    assert_registers_nothing(uploader_client, grant)
    if other:
        assert_registers_nothing(uploader_client, other)
    with pytest.raises(ObjectNotFound):
        strict_s3_storage.head(new_key)


@pytest.mark.parametrize("content_type", ["text/html", "audio/flac"])
def test_a_body_of_another_content_type_is_refused(
    strict_s3_storage, uploader_client, content_type
):
    grant = start_upload(uploader_client, with_checksum=False)

    response = put(grant, headers={"Content-Type": content_type})

    assert_refused(response, 403, "SignatureDoesNotMatch")
    assert_registers_nothing(uploader_client, grant)


@pytest.mark.parametrize("change", ["longer", "shorter", "streamed without a length"])
def test_a_body_of_another_length_is_refused(strict_s3_storage, uploader_client, change):
    # No checksum declared: the signed Content-Length alone stands in the way.
    grant = start_upload(uploader_client, with_checksum=False)

    if change == "streamed without a length":
        response = put(grant, iter([AUDIO[:1000], AUDIO[1000:]]), headers={"Content-Length": None})
    else:
        response = put(grant, AUDIO + b"\0" if change == "longer" else AUDIO[:-1])

    assert_refused(response, 403, "SignatureDoesNotMatch")
    assert_registers_nothing(uploader_client, grant)


def test_a_body_of_another_checksum_is_refused(strict_s3_storage, uploader_client):
    grant = start_upload(uploader_client)

    response = put(grant, OTHER_AUDIO)

    assert_refused(response, 400, "BadDigest")
    assert_registers_nothing(uploader_client, grant)


def test_leaving_out_the_declared_checksum_is_refused(strict_s3_storage, uploader_client):
    grant = start_upload(uploader_client)

    response = put(grant, OTHER_AUDIO, headers={"x-amz-checksum-sha256": None})

    assert_refused(response, 403, "SignatureDoesNotMatch")
    assert_registers_nothing(uploader_client, grant)


def test_an_upload_url_cannot_overwrite_the_object_it_stored(strict_s3_storage, uploader_client):
    # No checksum declared: the If-None-Match precondition alone stands in the way.
    grant = start_upload(uploader_client, with_checksum=False)
    assert put(grant).status_code == 200
    assert register(uploader_client, grant["upload_id"]).status_code == 201

    replayed = put(grant, OTHER_AUDIO)
    without_precondition = put(grant, OTHER_AUDIO, headers={"If-None-Match": None})

    assert_refused(replayed, 412, "PreconditionFailed")
    assert_refused(without_precondition, 403, "SignatureDoesNotMatch")
    assert strict_s3_storage.read_range(grant["key"], 0, len(AUDIO) - 1) == AUDIO
    again = register(uploader_client, grant["upload_id"], title="Replaced")
    assert again.status_code == 400
    assert again.json()["code"] == "already_registered"
    assert Track.objects.count() == 1


def stored_track(storage, **fields) -> Track:
    """A ready track whose object went up through a presigned PUT (a registered track goes to
    processing first, which these stream tests have nothing to do with)."""
    key = f"audio/e2e/{uuid.uuid4().hex}.mp3"
    grant = storage.presign_upload(
        key,
        content_type="audio/mpeg",
        size=len(AUDIO),
        sha256_hex=hashlib.sha256(AUDIO).hexdigest(),
        expires_in=60,
    )
    assert requests.put(grant.url, data=AUDIO, headers=grant.headers, timeout=10).status_code == 200
    return factories.TrackFactory(
        storage_key=key, size=len(AUDIO), content_type="audio/mpeg", **fields
    )


@pytest.fixture
def uploaded_track(strict_s3_storage) -> Track:
    return stored_track(strict_s3_storage)


def stream_url(client, track: Track) -> str:
    response = client.post(reverse("track-stream", args=[track.pk]))
    assert response.status_code == 200, response.json()
    return response.json()["url"]


def hide(moderator_client, track: Track) -> None:
    response = moderator_client.patch(
        reverse("track-detail", args=[track.pk]), {"is_hidden": True}, format="json"
    )
    assert response.status_code == 200, response.json()


def test_a_stream_url_serves_the_track(alice_client, uploaded_track, settings):
    url = stream_url(alice_client, uploaded_track)

    response = requests.get(url, timeout=10)

    assert response.status_code == 200
    assert response.content == AUDIO
    assert expires_param(url) == settings.STREAM_URL_EXPIRY_SECONDS


def test_an_expired_stream_url_is_refused(alice_client, uploaded_track, settings):
    settings.STREAM_URL_EXPIRY_SECONDS = 1
    url = stream_url(alice_client, uploaded_track)
    time.sleep(PAST_A_ONE_SECOND_EXPIRY)

    response = requests.get(url, timeout=10)

    assert_refused(response, 403, "AccessDenied")
    assert "Request has expired" in response.text


def test_a_stream_url_with_a_changed_signature_is_refused(alice_client, uploaded_track):
    url = stream_url(alice_client, uploaded_track)

    response = requests.get(change_signature(url), timeout=10)

    assert_refused(response, 403, "SignatureDoesNotMatch")


def test_a_stream_url_moved_to_a_hidden_tracks_key_is_refused(
    strict_s3_storage, alice_client, uploaded_track
):
    hidden = stored_track(strict_s3_storage, is_hidden=True)
    url = stream_url(alice_client, uploaded_track)

    response = requests.get(
        move_to_key(url, uploaded_track.storage_key, hidden.storage_key), timeout=10
    )

    assert_refused(response, 403, "SignatureDoesNotMatch")


def test_hiding_a_track_stops_new_stream_urls_and_issued_ones_run_out(
    alice_client, moderator_client, uploaded_track, settings
):
    settings.STREAM_URL_EXPIRY_SECONDS = 3
    issued = stream_url(alice_client, uploaded_track)
    signed_at = time.monotonic()

    hide(moderator_client, uploaded_track)
    refused = alice_client.post(reverse("track-stream", args=[uploaded_track.pk]))
    # S3 cannot revoke a signed URL: one issued before hiding plays until it expires.
    still_playing = requests.get(issued, timeout=10)
    time.sleep(max(0.0, signed_at + 4.1 - time.monotonic()))
    run_out = requests.get(issued, timeout=10)

    assert refused.status_code == 404
    assert still_playing.status_code == 200
    assert_refused(run_out, 403, "AccessDenied")
