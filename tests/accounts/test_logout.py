from datetime import timedelta

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from tests.conftest import client_for

URL = "/api/auth/logout/"


def logout(client, token: str):
    return client.post(URL, {"refresh": token}, format="json")


def can_refresh(token: str) -> bool:
    response = APIClient().post("/api/auth/token/refresh/", {"refresh": token}, format="json")
    return response.status_code == 200


def test_logout_without_an_access_token_blacklists_the_refresh_token(api_client, alice):
    token = str(RefreshToken.for_user(alice))

    response = logout(api_client, token)

    assert response.status_code == 204
    assert not can_refresh(token)


def test_logout_with_ones_own_access_token(alice_client, alice):
    token = str(RefreshToken.for_user(alice))

    assert logout(alice_client, token).status_code == 204
    assert not can_refresh(token)


def test_logout_works_after_the_access_token_expired(alice):
    token = str(RefreshToken.for_user(alice))
    expired = AccessToken.for_user(alice)
    expired.set_exp(lifetime=-timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {expired}")

    assert logout(client, token).status_code == 204


def test_one_cannot_log_someone_else_out(alice_client, bob):
    bobs_token = str(RefreshToken.for_user(bob))

    response = logout(alice_client, bobs_token)

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "refresh": ["This refresh token belongs to another account."]
    }
    assert can_refresh(bobs_token)


def test_logging_out_twice_is_refused(api_client, alice):
    token = str(RefreshToken.for_user(alice))
    logout(api_client, token)

    response = logout(api_client, token)

    assert response.status_code == 401
    assert response.json() == {"code": "token_not_valid", "detail": "Token is blacklisted"}


def test_logout_leaves_the_users_other_sessions_alone(api_client, alice):
    phone, laptop = str(RefreshToken.for_user(alice)), str(RefreshToken.for_user(alice))

    logout(api_client, phone)

    assert can_refresh(laptop)


@pytest.mark.django_db
def test_an_invalid_refresh_token_is_a_401(api_client):
    response = logout(api_client, "garbage")

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_an_access_token_cannot_be_used_to_log_out(alice):
    access = str(AccessToken.for_user(alice))

    assert logout(client_for(alice), access).status_code == 401


@pytest.mark.django_db
def test_missing_refresh_is_a_400_naming_it(api_client):
    response = api_client.post(URL, {}, format="json")

    assert response.status_code == 400
    assert "refresh" in response.json()["fields"]
