import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

URL = "/api/auth/token/"


def login(client, username: str, password: str = PASSWORD, **extra):
    return client.post(URL, {"username": username, "password": password}, format="json", **extra)


def test_valid_credentials_give_an_access_and_a_refresh_token(api_client, alice):
    response = login(api_client, "alice")

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert me.get("/api/me/").json()["username"] == "alice"


def test_login_records_the_time_of_last_login(api_client, alice):
    before = timezone.now()

    login(api_client, "alice")

    alice.refresh_from_db()
    assert alice.last_login >= before


def test_wrong_password_is_a_401_with_the_json_error_shape(api_client, alice):
    response = login(api_client, "alice", "not-the-password")

    assert response.status_code == 401
    assert response.json() == {
        "code": "no_active_account",
        "detail": "No active account found with the given credentials.",
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(api_client, alice):
    wrong_password = login(api_client, "alice", "not-the-password")
    unknown_user = login(api_client, "nobody")

    assert unknown_user.status_code == wrong_password.status_code == 401
    assert unknown_user.json() == wrong_password.json()


@pytest.mark.django_db
def test_deactivated_account_cannot_log_in(api_client):
    UserFactory(username="gone", is_active=False)

    assert login(api_client, "gone").status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "username"),
        ({"username": "alice"}, "password"),
        ({"username": "a" * 151, "password": PASSWORD}, "username"),
        ({"username": "alice", "password": "p" * 4097}, "password"),
    ],
)
def test_missing_or_oversized_credentials_are_a_400_naming_the_field(api_client, body, field):
    response = api_client.post(URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_login_accepts_json_only(api_client, alice):
    response = api_client.post(URL, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    form = api_client.post(URL, {"username": "alice", "password": PASSWORD}, format="multipart")
    assert form.status_code == 415
