from datetime import timedelta

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from tests.factories import PASSWORD

URL = "/api/auth/token/refresh/"


@pytest.fixture
def pair(api_client, alice) -> dict:
    response = api_client.post(
        "/api/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    return response.json()


def refresh(client, token: str):
    return client.post(URL, {"refresh": token}, format="json")


def assert_token_refused(response) -> None:
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"code", "detail"}
    assert body["code"] in {"token_not_valid", "no_active_account"}


def test_refresh_gives_a_new_working_pair(api_client, pair):
    response = refresh(api_client, pair["refresh"])

    assert response.status_code == 200
    new = response.json()
    assert set(new) == {"access", "refresh"}
    assert new["refresh"] != pair["refresh"]
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {new['access']}")
    assert me.get("/api/me/").json()["username"] == "alice"


def test_a_used_refresh_token_is_refused(api_client, pair):
    assert refresh(api_client, pair["refresh"]).status_code == 200

    response = refresh(api_client, pair["refresh"])

    assert_token_refused(response)
    assert response.json()["detail"] == "Token is blacklisted"


def test_the_rotated_refresh_token_keeps_working_down_the_chain(api_client, pair):
    token = pair["refresh"]
    for _ in range(3):
        response = refresh(api_client, token)
        assert response.status_code == 200
        token = response.json()["refresh"]


def test_of_two_concurrent_uses_of_one_refresh_token_only_one_succeeds(
    api_client, pair, monkeypatch
):
    # Both requests read the blacklist before either wrote to it.
    monkeypatch.setattr(RefreshToken, "check_blacklist", lambda self: None)

    first = refresh(api_client, pair["refresh"])
    second = refresh(api_client, pair["refresh"])

    assert first.status_code == 200
    assert_token_refused(second)


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "x" * 4097])
def test_malformed_refresh_tokens_are_refused(api_client, token):
    response = refresh(api_client, token)

    assert response.status_code in (400, 401)
    assert {"code", "detail"} <= set(response.json())


def test_an_access_token_is_not_a_refresh_token(api_client, pair):
    assert_token_refused(refresh(api_client, pair["access"]))


def test_an_expired_refresh_token_is_refused(api_client, alice):
    token = RefreshToken.for_user(alice)
    token.set_exp(lifetime=-timedelta(seconds=1))

    assert_token_refused(refresh(api_client, str(token)))


def test_a_deactivated_users_refresh_token_is_refused(api_client, alice, pair):
    alice.is_active = False
    alice.save()

    assert_token_refused(refresh(api_client, pair["refresh"]))


def test_a_deleted_users_refresh_token_is_refused(api_client, alice, pair):
    alice.delete()

    assert_token_refused(refresh(api_client, pair["refresh"]))


def test_missing_refresh_is_a_400_naming_it(api_client, db):
    response = api_client.post(URL, {}, format="json")

    assert response.status_code == 400
    assert "refresh" in response.json()["fields"]
