"""The documented general rates apply to every request: anonymous clients per address
(THROTTLE_ANON, 120/min), accounts per user (THROTTLE_USER, 600/min), and the scoped rates of
the stream, upload slots and accounts on top. The test settings lift every rate; these tests
put back the rates the app's own settings give."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config import settings as app_settings
from tests import factories
from tests.conftest import client_for
from tests.library.paths import stream_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_rates(throttle_rates) -> dict[str, str]:
    """The rates of config/settings.py, as a server started without THROTTLE_* has them."""
    rates = app_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    throttle_rates(**rates)
    return rates


def test_the_app_settings_hold_the_documented_rates(app_rates):
    assert app_rates["anon"] == "120/min"
    assert app_rates["user"] == "600/min"


def test_the_121st_anonymous_catalog_read_in_a_minute_is_a_429(api_client, app_rates):
    statuses = [api_client.get("/api/genres/").status_code for _ in range(121)]

    assert statuses == [200] * 120 + [429]
    response = api_client.get("/api/genres/")
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_anonymous_rate_is_per_client_address(api_client, app_rates):
    for _ in range(120):
        api_client.get("/api/genres/", REMOTE_ADDR="10.0.0.1")

    assert api_client.get("/api/genres/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert api_client.get("/api/genres/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_601st_playlist_read_of_a_listener_in_a_minute_is_a_429(alice_client, app_rates):
    statuses = [alice_client.get("/api/playlists/").status_code for _ in range(601)]

    assert statuses == [200] * 600 + [429]


def test_the_user_rate_is_per_account_not_per_address(alice_client, bob_client, app_rates):
    for _ in range(600):
        alice_client.get("/api/playlists/")

    assert alice_client.get("/api/playlists/", REMOTE_ADDR="10.9.9.9").status_code == 429
    assert bob_client.get("/api/playlists/").status_code == 200


def test_a_scoped_endpoint_counts_against_the_general_rate_too(throttle_rates):
    throttle_rates(user="3/min")
    listener = factories.UserFactory()
    track = factories.TrackFactory()
    client = client_for(listener)

    codes = [client.post(stream_url(track.pk)).status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]


def test_the_auth_endpoints_count_against_the_anonymous_rate_too(api_client, throttle_rates):
    throttle_rates(anon="2/min")
    body = {"username": "nobody", "password": "wrong-password"}

    codes = [api_client.post("/api/auth/token/", body).status_code for _ in range(3)]

    assert codes == [401, 401, 429]


def test_throttling_adds_no_query_to_the_stream(alice_client, app_rates):
    track = factories.TrackFactory()

    with CaptureQueriesContext(connection) as queries:
        response = alice_client.post(stream_url(track.pk))

    assert response.status_code == 200
    assert len(queries) == 1
