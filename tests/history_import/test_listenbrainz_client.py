"""A real ListenBrainz client library (liblistenbrainz, from PyPI) against a live server."""

import time

import liblistenbrainz
import pytest
from liblistenbrainz.errors import InvalidAuthTokenException, ListenBrainzAPIException

from core.history_import.scrobbles import scrobble_token_create
from core.library.models import ExternalListen
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def client_and_user(live_server):
    user = factories.UserFactory(username="scrobbler")
    secret = scrobble_token_create(user=user, name="test").secret
    client = liblistenbrainz.ListenBrainz(api_base_url=live_server.url)
    client.set_auth_token(secret)  # checks the token with /1/validate-token
    return client, user


def _listen(title: str, at: int) -> liblistenbrainz.Listen:
    return liblistenbrainz.Listen(
        track_name=title,
        artist_name="Ada",
        release_name="First",
        listened_at=at,
        additional_info={"duration_ms": 200_000, "submission_client": "tests"},
    )


def test_the_client_submits_single_import_and_playing_now(client_and_user):
    client, user = client_and_user
    now = int(time.time())

    assert client.submit_single_listen(_listen("One", now - 300)) == {"status": "ok"}
    assert client.submit_multiple_listens([_listen(f"T{i}", now - 1000 - i) for i in range(3)]) == {
        "status": "ok"
    }
    playing = liblistenbrainz.Listen(track_name="Now", artist_name="Ada")
    assert client.submit_playing_now(playing) == {"status": "ok"}

    titles = set(ExternalListen.objects.filter(user=user).values_list("title", flat=True))
    assert titles == {"One", "T0", "T1", "T2"}
    stored = ExternalListen.objects.get(title="One")
    assert (stored.album, stored.duration_ms, stored.source) == ("First", 200_000, "scrobble")


def test_the_client_is_told_an_unknown_token_is_invalid(live_server, db):
    client = liblistenbrainz.ListenBrainz(api_base_url=live_server.url)

    with pytest.raises(InvalidAuthTokenException):
        client.set_auth_token("00000000-0000-4000-8000-000000000000")


def test_the_client_gets_the_error_of_a_refused_listen(client_and_user):
    client, _ = client_and_user
    future = _listen("Later", int(time.time()) + 7200)

    with pytest.raises(ListenBrainzAPIException) as refused:
        client.submit_single_listen(future)

    assert refused.value.status_code == 400
    assert "too high" in refused.value.message


def _refusals(caplog) -> int:
    return sum(
        1
        for record in caplog.records
        if record.name == "django.request" and getattr(record, "status_code", None) == 429
    )


def test_the_client_waits_out_the_window_when_the_headers_say_none_remain(
    client_and_user, settings, caplog
):
    client, user = client_and_user
    settings.LISTENBRAINZ_RATELIMIT_PER_TOKEN = 2
    settings.LISTENBRAINZ_RATELIMIT_WINDOW = 2
    now = int(time.time())

    for i in range(5):
        assert client.submit_single_listen(_listen(f"Paced {i}", now - 100 - i)) == {"status": "ok"}

    assert _refusals(caplog) == 0  # it read X-RateLimit-Remaining: 0 and slept to the reset
    assert ExternalListen.objects.filter(user=user, title__startswith="Paced").count() == 5


def test_the_client_retries_a_429_after_the_window_and_its_listen_is_stored(
    client_and_user, settings, caplog
):
    client, user = client_and_user
    settings.LISTENBRAINZ_RATELIMIT_PER_TOKEN = 1
    settings.LISTENBRAINZ_RATELIMIT_WINDOW = 2
    fresh = liblistenbrainz.ListenBrainz(api_base_url=client.api_base_url)
    fresh._auth_token = client._auth_token  # a second player, knowing nothing of the window
    now = int(time.time())
    client.submit_single_listen(_listen("First", now - 100))

    assert fresh.submit_single_listen(_listen("Second", now - 50)) == {"status": "ok"}

    assert _refusals(caplog) >= 1
    assert set(ExternalListen.objects.filter(user=user).values_list("title", flat=True)) == {
        "First",
        "Second",
    }
