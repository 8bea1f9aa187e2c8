import pytest

from core.accounts import services
from core.models import User
from tests.factories import UserFactory

URL = "/api/auth/register/"
GOOD = {"username": "carol", "email": "carol@example.com", "password": "a-long-and-rare-passphrase"}


def register(client, **changes):
    return client.post(URL, {**GOOD, **changes}, format="json")


def assert_refused(response, field: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]


@pytest.mark.django_db
def test_registration_creates_a_listener_who_can_log_in(api_client):
    response = register(api_client)

    assert response.status_code == 201
    user = User.objects.get(username="carol")
    assert response.json() == {"id": user.pk, "username": "carol", "email": "carol@example.com"}
    assert user.check_password(GOOD["password"])
    assert not user.is_staff and not user.groups.exists()
    login = api_client.post(
        "/api/auth/token/", {"username": "carol", "password": GOOD["password"]}, format="json"
    )
    assert login.status_code == 200


@pytest.mark.django_db
def test_registration_never_echoes_the_password(api_client):
    response = register(api_client)

    assert GOOD["password"] not in response.content.decode()


@pytest.mark.django_db
def test_email_domain_is_normalised_to_lower_case(api_client):
    response = register(api_client, email="Carol@EXAMPLE.Com")

    assert response.json()["email"] == "Carol@example.com"


@pytest.mark.django_db
@pytest.mark.parametrize("taken", ["carol", "CAROL", "Carol"])
def test_duplicate_username_is_refused_whatever_its_case(api_client, taken):
    UserFactory(username=taken, email="first@example.com")

    assert_refused(register(api_client), "username")
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("taken", ["carol@example.com", "CAROL@example.com", "carol@EXAMPLE.COM"])
def test_duplicate_email_is_refused_whatever_its_case(api_client, taken):
    UserFactory(username="first", email=taken)

    assert_refused(register(api_client), "email")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("taken", "field"),
    [
        ({"username": "CAROL", "email": "first@example.com"}, "username"),
        ({"username": "first", "email": "CAROL@example.com"}, "email"),
    ],
)
def test_a_concurrent_duplicate_caught_by_the_database_is_a_400(
    api_client, monkeypatch, taken, field
):
    UserFactory(**taken)
    real_check = services._duplicate
    calls = []

    def check_that_loses_the_race(username, email):
        calls.append(username)
        return None if len(calls) == 1 else real_check(username, email)

    monkeypatch.setattr(services, "_duplicate", check_that_loses_the_race)

    assert_refused(register(api_client), field)
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password",
    ["short1", "password123", "12345678901234", "carol@example.com", "x" * 129],
)
def test_weak_or_oversized_passwords_are_refused(api_client, password):
    response = register(api_client, password=password)

    assert_refused(response, "password")
    assert not User.objects.filter(username="carol").exists()


@pytest.mark.django_db
def test_every_password_rule_broken_is_reported(api_client):
    body = register(api_client, password="1234").json()

    assert len(body["fields"]["password"]) >= 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username", ["ab", "x" * 151, "carol smith", "carol/../x", "carol<script>", "", "caro\x00l"]
)
def test_usernames_outside_the_rules_are_refused(api_client, username):
    assert_refused(register(api_client, username=username), "username")


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["", "not-an-email", "carol@", "a" * 250 + "@example.com"])
def test_invalid_emails_are_refused(api_client, email):
    assert_refused(register(api_client, email=email), "email")


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["username", "email", "password"])
def test_each_missing_field_is_named(api_client, missing):
    body = {key: value for key, value in GOOD.items() if key != missing}

    assert_refused(api_client.post(URL, body, format="json"), missing)


@pytest.mark.django_db
def test_registration_ignores_any_attempt_to_become_staff(api_client):
    response = register(api_client, is_staff=True, is_superuser=True, groups=["Uploaders"])

    assert response.status_code == 201
    user = User.objects.get(username="carol")
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()


@pytest.mark.django_db
def test_a_bearer_token_is_not_needed_nor_checked_to_register(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    assert register(api_client).status_code == 201
