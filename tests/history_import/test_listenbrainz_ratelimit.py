"""ListenBrainz's rate limit on /1/: a window per valid token, or per address without one, its
X-RateLimit-* headers on every answer, and 429 in ListenBrainz's error shape over the limit."""

import pytest

from core.history_import import ratelimit
from core.library.models import ExternalListen
from tests.history_import.test_scrobbling import SUBMIT, VALIDATE, listen, submit

pytestmark = pytest.mark.django_db

HEADERS = tuple(f"X-RateLimit-{name}" for name in ("Limit", "Remaining", "Reset", "Reset-In"))


@pytest.fixture
def token(alice_client) -> str:
    return alice_client.post("/api/me/tokens/", {"name": "Web Scrobbler"}).json()["token"]


@pytest.fixture
def small_limits(settings):
    settings.LISTENBRAINZ_RATELIMIT_PER_TOKEN = 3
    settings.LISTENBRAINZ_RATELIMIT_PER_IP = 2
    settings.LISTENBRAINZ_RATELIMIT_WINDOW = 60


@pytest.fixture
def frozen_clock(monkeypatch):
    """The limit's clock, moved by hand: the window is [1_000_020, 1_000_080)."""
    now = [1_000_020]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    return now


def test_every_answer_carries_the_rate_limit_headers(api_client, token):
    answers = [
        submit(api_client, token, {"listen_type": "single", "payload": [listen()]}),
        submit(api_client, token, {"listen_type": "single", "payload": []}),
        submit(api_client, "not-a-token", {"listen_type": "single", "payload": [listen()]}),
        submit(api_client, None, {"listen_type": "single", "payload": [listen()]}),
        api_client.get(VALIDATE, headers={"Authorization": f"Token {token}"}),
        api_client.get(VALIDATE, {"token": "00000000-0000-4000-8000-000000000000"}),
        api_client.get(SUBMIT),
    ]

    assert [a.status_code for a in answers] == [200, 400, 401, 401, 200, 200, 405]
    for answer in answers:
        assert all(answer.has_header(name) for name in HEADERS), answer
    assert [a["X-RateLimit-Limit"] for a in answers] == ["50", "50", "30", "30", "50", "30", "30"]


def test_a_token_over_its_limit_gets_429_in_listenbrainz_shape_and_nothing_is_stored(
    api_client, token, small_limits, frozen_clock
):
    body = {"listen_type": "single", "payload": [listen()]}
    remaining = [submit(api_client, token, body)["X-RateLimit-Remaining"] for _ in range(3)]

    refused = submit(api_client, token, {"listen_type": "single", "payload": [listen("Four")]})

    assert remaining == ["2", "1", "0"]
    assert refused.status_code == 429
    assert refused.json() == {
        "code": 429,
        "error": "You have exceeded your rate limit. See the X-RateLimit-* response headers for "
        "more information on your current rate limit.",
    }
    assert refused["X-RateLimit-Remaining"] == "0"
    assert refused["X-RateLimit-Reset"] == "1000080"
    assert refused["X-RateLimit-Reset-In"] == "60"
    assert refused["Retry-After"] == "60"
    assert not ExternalListen.objects.filter(title="Four").exists()


def test_the_next_window_starts_afresh(api_client, token, small_limits, frozen_clock):
    body = {"listen_type": "single", "payload": [listen()]}
    for _ in range(4):
        submit(api_client, token, body)
    frozen_clock[0] = 1_000_080

    again = submit(api_client, token, body)

    assert again.status_code == 200
    assert (again["X-RateLimit-Remaining"], again["X-RateLimit-Reset-In"]) == ("2", "60")


def test_tokens_and_addresses_count_apart(
    api_client, alice_client, token, small_limits, frozen_clock
):
    other = alice_client.post("/api/me/tokens/", {"name": "Pano"}).json()["token"]
    body = {"listen_type": "single", "payload": [listen()]}
    for _ in range(3):
        submit(api_client, token, body)
    for _ in range(2):
        submit(api_client, "not-a-token", body)

    assert submit(api_client, token, body).status_code == 429
    assert submit(api_client, "not-a-token", body).status_code == 429
    assert submit(api_client, None, body).status_code == 429  # the same address
    assert submit(api_client, other, body).status_code == 200
    assert api_client.get(VALIDATE, {"token": other}).status_code == 429  # no header: by address


def test_the_limits_are_settings(api_client, token, settings):
    settings.LISTENBRAINZ_RATELIMIT_PER_TOKEN = 7
    settings.LISTENBRAINZ_RATELIMIT_WINDOW = 5

    answer = api_client.get(VALIDATE, headers={"Authorization": f"Token {token}"})

    assert answer["X-RateLimit-Limit"] == "7"
    assert 1 <= int(answer["X-RateLimit-Reset-In"]) <= 5
    assert int(answer["X-RateLimit-Reset"]) % 5 == 0
