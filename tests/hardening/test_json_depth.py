"""JSON nested deeper than any request needs is a 400 in the API's error shape, on every
endpoint that reads JSON, anonymous ones included; it never reaches Python's recursion limit."""

import pytest

from core.api.parsers import MAX_JSON_DEPTH

pytestmark = pytest.mark.django_db

ANONYMOUS = ["/api/auth/token/", "/api/auth/register/", "/api/auth/token/refresh/"]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_objects(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def post_raw(client, url: str, body: str):
    return client.generic("POST", url, body, content_type="application/json")


def assert_too_deep(response) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "parse_error"
    assert "nested" in body["detail"]
    assert set(body) <= {"code", "detail", "fields"}


@pytest.mark.parametrize("url", ANONYMOUS)
@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_thousands_of_nested_lists_on_an_anonymous_endpoint_are_a_400(api_client, url, depth):
    assert_too_deep(post_raw(api_client, url, nested(depth)))


@pytest.mark.parametrize("url", ANONYMOUS)
def test_thousands_of_nested_objects_are_a_400(api_client, url):
    assert_too_deep(post_raw(api_client, url, nested_objects(5_000)))


def test_nesting_inside_a_field_is_a_400_too(alice_client):
    body = '{"name": "Road trip", "description": ' + nested(3_000) + "}"

    assert_too_deep(post_raw(alice_client, "/api/playlists/", body))


def test_nesting_just_past_the_limit_is_refused(alice_client):
    response = post_raw(alice_client, "/api/playlists/", nested(MAX_JSON_DEPTH + 1))

    assert_too_deep(response)


def test_nesting_up_to_the_limit_reaches_the_view(alice_client):
    response = post_raw(alice_client, "/api/playlists/", nested(MAX_JSON_DEPTH))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"  # a list is not a playlist, but it was read
