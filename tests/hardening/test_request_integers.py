"""Integers from a request (query parameters, path ids, cursors, headers) are bounded before
use: digits that are not ASCII, numbers past 64 bits and thousands of digits are a 4xx, never
a 500."""

import base64

import pytest
from django.db import connection

from core.api.errors import NotFound
from core.library import stream
from media_pipeline.storage import get_storage
from tests import factories
from tests.conftest import client_for
from tests.hardening.conftest import AUDIO

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = str(2**63)
HUGE = "9" * 5000


@pytest.mark.parametrize("genre", ["²", "①", "٣", BEYOND_64_BITS, HUGE[:100]])
def test_a_genre_that_is_not_a_plain_id_is_looked_up_as_a_name(api_client, world, genre):
    response = api_client.get("/api/tracks/", {"genre": genre})

    assert response.status_code == 200, response.content
    assert response.json()["results"] == []


@pytest.mark.parametrize("parameter", ["artist", "album", "year_min", "year_max"])
@pytest.mark.parametrize("value", [BEYOND_64_BITS, "-" + BEYOND_64_BITS + "1", "²", HUGE])
def test_a_track_filter_beyond_64_bits_is_a_400_naming_it(api_client, world, parameter, value):
    response = api_client.get("/api/tracks/", {parameter: value})

    assert response.status_code == 400, response.content
    assert parameter in response.json()["fields"]


@pytest.mark.parametrize("value", [BEYOND_64_BITS, HUGE])
def test_an_album_filter_beyond_64_bits_is_a_400(api_client, world, value):
    response = api_client.get("/api/albums/", {"artist": value})

    assert response.status_code == 400, response.content


@pytest.fixture(params=["postgresql", "portable"])
def stream_path(request, monkeypatch):
    """The stream's one-statement path (PostgreSQL) and the one other databases take."""
    if request.param == "portable":
        monkeypatch.setattr(connection, "vendor", "portable")


@pytest.mark.parametrize("track_id", [BEYOND_64_BITS, str(2**64), HUGE[:40]])
def test_streaming_a_track_id_beyond_64_bits_is_a_404_that_never_reaches_the_database(
    world, stream_path, track_id, django_assert_num_queries
):
    client = client_for(world.owner)

    with django_assert_num_queries(0):
        response = client.post(f"/api/tracks/{track_id}/stream/")

    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"


def test_the_stream_service_refuses_an_id_beyond_64_bits_before_any_query(
    world, stream_path, django_assert_num_queries
):
    with django_assert_num_queries(0), pytest.raises(NotFound):
        stream.track_stream(user=world.owner, track_id=2**63, client="")


@pytest.mark.parametrize(
    "path",
    [
        "/api/tracks/{id}/",
        "/api/artists/{id}/",
        "/api/albums/{id}/",
        "/api/playlists/{id}/",
        "/api/playlists/{id}/items/",
    ],
)
def test_a_detail_route_with_an_id_beyond_64_bits_is_a_404(world, path):
    response = client_for(world.owner).get(path.format(id=BEYOND_64_BITS))

    assert response.status_code == 404, response.content
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "path", ["/api/tracks/{id}/toggle_favorite/", "/api/history/{id}/progress/"]
)
def test_a_write_route_with_an_id_beyond_64_bits_is_a_404(world, path):
    response = client_for(world.owner).post(
        path.format(id=BEYOND_64_BITS), {"played_seconds": 1}, format="json"
    )

    assert response.status_code == 404, response.content


def test_deleting_a_share_with_an_id_beyond_64_bits_is_a_404(world):
    url = f"/api/playlists/{world.private_playlist.pk}/shares/{BEYOND_64_BITS}/"

    response = client_for(world.owner).delete(url)

    assert response.status_code == 404, response.content


def test_the_next_page_of_the_history_still_follows_its_cursor(world):
    client = client_for(world.owner)
    for _ in range(2):
        factories.PlayFactory(user=world.owner, track=world.track)

    first = client.get("/api/history/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 2 and len(second["results"]) == 1


def _cursor(querystring: str) -> str:
    return base64.b64encode(querystring.encode()).decode()


@pytest.mark.parametrize(
    "querystring",
    [
        "p=not-a-date",
        "p=2026-13-45T00:00:00",
        f"o={HUGE}",
        "o=²",
        "r=²",
        f"r={HUGE}",
        "p=2026-01-01T00:00:00%2B00:00&o=1&r=" + BEYOND_64_BITS,
    ],
)
def test_a_crafted_history_cursor_is_a_404_invalid_cursor(world, querystring):
    response = client_for(world.owner).get("/api/history/", {"cursor": _cursor(querystring)})

    assert response.status_code == 404, response.content
    assert response.json()["detail"] == "Invalid cursor"


def _download_path(world) -> str:
    url = get_storage().presign_download(world.track.storage_key, expires_in=60).url
    return url.split("://", 1)[1].split("/", 1)[1]


@pytest.mark.parametrize(
    "header", [f"bytes={HUGE}-", f"bytes=0-{HUGE}", f"bytes=-{HUGE}", "bytes=²-", "bytes=0-①"]
)
def test_a_range_header_of_thousands_of_digits_never_fails(client, world, header):
    response = client.get("/" + _download_path(world), HTTP_RANGE=header)

    assert response.status_code in (200, 206, 416), response.content
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == AUDIO


def test_a_range_starting_beyond_the_object_is_a_416(client, world):
    response = client.get("/" + _download_path(world), HTTP_RANGE=f"bytes={HUGE}-")

    assert response.status_code == 416


def test_a_suffix_range_longer_than_the_object_serves_it_whole(client, world):
    response = client.get("/" + _download_path(world), HTTP_RANGE=f"bytes=-{HUGE}")

    assert response.status_code == 206
    assert b"".join(response.streaming_content) == AUDIO


@pytest.mark.parametrize("length", ["²", "①", HUGE, BEYOND_64_BITS + "0"])
def test_an_odd_content_length_on_a_local_upload_is_a_4xx(client, length):
    presigned = get_storage().presign_upload(
        "audio/test/odd.mp3", content_type="audio/mpeg", size=3, expires_in=60
    )
    path = "/" + presigned.url.split("://", 1)[1].split("/", 1)[1]

    response = client.generic(
        "PUT",
        path,
        b"abc",
        content_type="audio/mpeg",
        HTTP_IF_NONE_MATCH="*",
        CONTENT_LENGTH=length,
    )

    assert 400 <= response.status_code < 500, response.content
    assert b"<Code>" in response.content


@pytest.mark.parametrize("length", ["²", "①", HUGE, BEYOND_64_BITS + "0"])
def test_an_odd_content_length_on_a_part_upload_is_a_4xx(client, length):
    storage = get_storage()
    upload_id = storage.create_multipart("audio/test/parts.mp3", content_type="audio/mpeg")
    presigned = storage.presign_part("audio/test/parts.mp3", upload_id, 1, expires_in=60)
    path = "/" + presigned.url.split("://", 1)[1].split("/", 1)[1]

    response = client.generic("PUT", path, b"abc", CONTENT_LENGTH=length)

    assert 400 <= response.status_code < 500, response.content
    assert b"<Code>" in response.content


ODD_PAGES = ["page=²", f"page={HUGE}", f"page={BEYOND_64_BITS}", "page_size=²", f"page_size={HUGE}"]


@pytest.mark.parametrize("query", ODD_PAGES)
def test_odd_page_numbers_and_sizes_are_a_4xx_or_ignored(api_client, world, query):
    response = api_client.get(f"/api/tracks/?{query}")

    assert response.status_code in (200, 404), response.content
    assert response["Content-Type"].startswith("application/json")
