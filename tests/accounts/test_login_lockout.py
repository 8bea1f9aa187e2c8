import time

import pytest

from tests.factories import PASSWORD, UserFactory

URL = "/api/auth/token/"


def login(client, username: str = "alice", password: str = PASSWORD, ip: str = "10.0.0.1"):
    return client.post(
        URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip
    )


def fail(client, times: int, username: str = "alice", ip: str = "10.0.0.1") -> None:
    for _ in range(times):
        assert login(client, username, "wrong-password", ip).status_code == 401


@pytest.fixture(autouse=True)
def _lockout(settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 5
    settings.LOGIN_LOCKOUT_ADDRESS_ATTEMPTS = 10
    settings.LOGIN_LOCKOUT_SECONDS = 900


def test_five_failed_logins_lock_the_account_out_even_with_the_right_password(api_client, alice):
    fail(api_client, 5)

    response = login(api_client)

    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"
    assert "failed logins" in response.json()["detail"]
    assert 890 <= int(response["Retry-After"]) <= 900


def test_four_failed_logins_still_let_the_right_password_in(api_client, alice):
    fail(api_client, 4)

    assert login(api_client).status_code == 200


def test_a_successful_login_forgets_earlier_failures(api_client, alice):
    fail(api_client, 4)
    assert login(api_client).status_code == 200

    fail(api_client, 4)

    assert login(api_client).status_code == 200


def test_the_lockout_counts_usernames_whatever_their_case(api_client, alice):
    fail(api_client, 3, username="alice")
    fail(api_client, 2, username="ALICE")

    assert login(api_client).status_code == 429


def test_the_lockout_holds_one_address_only(api_client, alice):
    fail(api_client, 5, ip="10.0.0.1")

    assert login(api_client, ip="10.0.0.1").status_code == 429
    assert login(api_client, ip="10.0.0.2").status_code == 200


def test_the_lockout_holds_one_username_only(api_client, alice, bob):
    fail(api_client, 5, username="alice")

    assert login(api_client, username="bob").status_code == 200


def test_failures_over_many_usernames_lock_the_address_out(api_client, alice):
    for n in range(10):
        fail(api_client, 1, username=f"guess{n}")

    locked = login(api_client)

    assert locked.status_code == 429
    assert locked.json()["code"] == "login_locked"
    assert "from your address" in locked.json()["detail"]
    assert login(api_client, ip="10.0.0.2").status_code == 200


def test_a_spoofed_forwarded_for_header_does_not_escape_the_lockout(api_client, alice):
    for n in range(5):
        response = api_client.post(
            URL,
            {"username": "alice", "password": "wrong"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
        assert response.status_code == 401

    assert login(api_client, ip="127.0.0.1").status_code == 429


def test_the_lockout_counts_a_username_in_any_unicode_spelling(api_client, db):
    UserFactory(username="straße")
    fail(api_client, 3, username="STRASSE")
    fail(api_client, 2, username="Straße")

    assert login(api_client, username="straße").status_code == 429


def test_unknown_usernames_lock_out_like_real_ones(api_client, db):
    fail(api_client, 5, username="nobody")

    assert login(api_client, username="nobody").status_code == 429


def test_the_lockout_ends_after_its_time(api_client, alice, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 1
    fail(api_client, 5)
    assert login(api_client).status_code == 429

    time.sleep(1.2)

    assert login(api_client).status_code == 200


def test_a_request_without_a_client_address_is_counted_not_a_server_error(api_client, alice):
    fail(api_client, 5, ip=None)

    assert login(api_client, ip=None).status_code == 429
