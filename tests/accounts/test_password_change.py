"""POST /api/me/password/: the user's own password change, which revokes every earlier token."""

import pytest

from tests.factories import PASSWORD

URL = "/api/me/password/"
NEW_PASSWORD = "a-brand-new-Passphrase-7"


def login(client, username: str = "alice", password: str = PASSWORD) -> dict:
    response = client.post("/api/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.json()
    return response.json()


def bearer(client, access: str):
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


@pytest.fixture
def old_pair(api_client, alice) -> dict:
    return login(api_client)


def change(client, pair: dict, current: str = PASSWORD, new: str = NEW_PASSWORD):
    return bearer(client, pair["access"]).post(URL, {"current": current, "new": new})


def test_a_password_change_answers_a_fresh_pair_that_works(api_client, old_pair):
    response = change(api_client, old_pair)

    assert response.status_code == 200
    fresh = response.json()
    assert bearer(api_client, fresh["access"]).get("/api/me/").status_code == 200
    refreshed = api_client.post("/api/auth/token/refresh/", {"refresh": fresh["refresh"]})
    assert refreshed.status_code == 200


def test_after_a_password_change_the_old_access_token_is_refused(api_client, old_pair):
    assert change(api_client, old_pair).status_code == 200

    response = bearer(api_client, old_pair["access"]).get("/api/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


def test_after_a_password_change_the_old_refresh_token_is_refused(api_client, old_pair):
    assert change(api_client, old_pair).status_code == 200

    response = api_client.post("/api/auth/token/refresh/", {"refresh": old_pair["refresh"]})

    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


def test_a_password_change_logs_out_the_other_devices_too(api_client, alice):
    phone, laptop = login(api_client), login(api_client)
    assert change(api_client, laptop).status_code == 200

    assert bearer(api_client, phone["access"]).get("/api/me/").status_code == 401
    refreshed = api_client.post("/api/auth/token/refresh/", {"refresh": phone["refresh"]})
    assert refreshed.status_code == 401


def test_after_a_password_change_only_the_new_password_logs_in(api_client, old_pair):
    assert change(api_client, old_pair).status_code == 200
    api_client.credentials()

    old = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})

    assert old.status_code == 401
    assert login(api_client, password=NEW_PASSWORD)["access"]


def test_a_wrong_current_password_is_a_400_naming_the_field_and_changes_nothing(
    api_client, old_pair, alice
):
    response = change(api_client, old_pair, current="not-my-password")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "current" in response.json()["fields"]
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert bearer(api_client, old_pair["access"]).get("/api/me/").status_code == 200


def test_a_weak_new_password_is_a_400_naming_the_field(api_client, old_pair, alice):
    response = change(api_client, old_pair, new="alice")

    assert response.status_code == 400
    assert "new" in response.json()["fields"]
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_wrong_current_passwords_count_towards_the_login_lockout(settings, api_client, old_pair):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    for _ in range(3):
        assert change(api_client, old_pair, current="guess").status_code == 400

    response = change(api_client, old_pair)

    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"


def test_changing_the_password_needs_a_login(api_client, alice):
    response = api_client.post(URL, {"current": PASSWORD, "new": NEW_PASSWORD})

    assert response.status_code == 401
