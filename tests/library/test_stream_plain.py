"""The stream's short path (TrackStreamView.dispatch): a player's usual request is served without
DRF's request, parsers and negotiation, and answers exactly as DRF's dispatch does, for a grant
and for every error; anything else goes through DRF."""

from unittest import mock

import pytest
from django.db import OperationalError
from rest_framework.views import APIView

from core.library import views
from core.library.models import Play
from media_pipeline.storage import StorageUnavailable, get_storage
from tests import factories
from tests.conftest import client_for
from tests.library.paths import stream_url

pytestmark = pytest.mark.django_db

PLAIN = {
    "no body": {},
    "an empty JSON object": {"data": "{}", "content_type": "application/json"},
    "JSON with a charset": {"data": "{}", "content_type": "application/json; charset=utf-8"},
    "JSON accepted": {"HTTP_ACCEPT": "application/json"},
    "anything accepted": {"HTTP_ACCEPT": "*/*"},
}
NOT_PLAIN = {
    "options in the body": {"data": '{"quality": "low"}', "content_type": "application/json"},
    "a client name": {"data": '{"client": "Car"}', "content_type": "application/json"},
    "a form body": {"data": "quality=low", "content_type": "application/x-www-form-urlencoded"},
    "a query": {"path_suffix": "?format=json"},
    "another Accept": {"HTTP_ACCEPT": "text/html"},
    "a malformed body": {"data": "{]", "content_type": "application/json"},
}


def _post(client, track_id: int, request: dict):
    request = dict(request)
    return client.post(stream_url(track_id) + request.pop("path_suffix", ""), **request)


@pytest.fixture
def drf_calls():
    with mock.patch.object(
        APIView, "initialize_request", autospec=True, side_effect=APIView.initialize_request
    ) as spy:
        yield spy


@pytest.mark.parametrize("request_", PLAIN.values(), ids=PLAIN.keys())
def test_a_players_usual_request_takes_the_short_path(alice_client, track, request_, drf_calls):
    response = _post(alice_client, track.pk, request_)

    assert response.status_code == 200
    assert response.json()["quality"] == "original"
    assert drf_calls.call_count == 0
    assert Play.objects.get().pk == response.json()["play_id"]


@pytest.mark.parametrize("request_", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_any_other_request_goes_through_drf(alice_client, track, request_, drf_calls):
    _post(alice_client, track.pk, request_)

    assert drf_calls.call_count == 1


def test_a_request_without_a_valid_token_goes_through_drf(api_client, track, drf_calls):
    missing = api_client.post(stream_url(track.pk))
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    invalid = api_client.post(stream_url(track.pk))

    assert (missing.status_code, invalid.status_code) == (401, 401)
    assert invalid.json()["code"] == "token_not_valid"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert drf_calls.call_count == 2


def _answers_of_both_paths(make_request) -> tuple:
    """What `make_request()` answers on the short path, then with DRF's dispatch only."""
    short = make_request()
    with mock.patch.object(views, "_plain_stream_options", return_value=None):
        full = make_request()
    return short, full


def _comparable(response) -> tuple:
    body = response.json()
    if response.status_code == 200:  # a fresh signature, expiry and entry each time
        assert isinstance(body.pop("play_id"), int)
        body["url"] = body.pop("url").split("/storage/download/")[0]
        body.pop("expires_at")
    headers = {name: value for name, value in response.headers.items() if name != "Content-Length"}
    return response.status_code, body, headers


def _revoked(user):
    user.set_password("another-Passphrase-9")
    user.save()


def _inactive(user):
    user.is_active = False
    user.save(update_fields=["is_active"])


@pytest.mark.parametrize("change", [None, _revoked, _inactive], ids=["ok", "revoked", "inactive"])
def test_both_paths_answer_a_listener_alike(change):
    listener = factories.UserFactory()
    client = client_for(listener)
    if change:
        change(listener)

    def stream_a_new_track():
        return client.post(stream_url(factories.TrackFactory(duration=200.0).pk))

    short, full = _answers_of_both_paths(stream_a_new_track)

    assert _comparable(short) == _comparable(full)
    assert short.status_code == (200 if change is None else 401)


@pytest.mark.parametrize(
    "track_id",
    [lambda: 999_999, lambda: factories.TrackFactory(is_hidden=True).pk, lambda: 0],
    ids=["missing", "hidden", "zero"],
)
def test_both_paths_answer_an_unplayable_track_alike(alice_client, track_id):
    short, full = _answers_of_both_paths(lambda: alice_client.post(stream_url(track_id())))

    assert _comparable(short) == _comparable(full)
    assert short.status_code == 404
    assert not Play.objects.exists()


def test_both_paths_answer_a_storage_outage_alike(alice_client, track):
    storage = get_storage()
    with mock.patch.object(storage, "ensure_reachable", side_effect=StorageUnavailable("down")):
        short, full = _answers_of_both_paths(lambda: alice_client.post(stream_url(track.pk)))

    assert _comparable(short) == _comparable(full)
    assert short.status_code == 503
    assert not Play.objects.exists()


def test_both_paths_answer_a_database_outage_alike(alice_client, track):
    with mock.patch.object(
        views.stream, "track_stream", side_effect=OperationalError("connection refused")
    ):
        short, full = _answers_of_both_paths(lambda: alice_client.post(stream_url(track.pk)))

    assert _comparable(short) == _comparable(full)
    assert short.status_code == 503


@pytest.mark.parametrize("scope", ["stream", "user"])
def test_both_paths_count_a_request_once_against_each_rate(
    alice_client, track, throttle_rates, scope
):
    def third_request():
        throttle_rates(**{scope: "2/min"})  # every bucket empty again
        return [alice_client.post(stream_url(track.pk)) for _ in range(3)][-1]

    short, full = _answers_of_both_paths(third_request)

    assert _comparable(short) == _comparable(full)
    assert short.status_code == 429
    assert short.json()["code"] == "throttled"
    assert 0 < int(short["Retry-After"]) <= 60
