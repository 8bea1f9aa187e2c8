import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _three_a_minute(auth_rate):
    auth_rate("3/min")


def register(client, n: int, ip: str = "10.0.0.1", **extra):
    body = {"username": f"user{n}", "email": f"u{n}@example.com", "password": "rare-passphrase-1"}
    return client.post("/api/auth/register/", body, format="json", REMOTE_ADDR=ip, **extra)


def login(client, ip: str = "10.0.0.1"):
    body = {"username": "alice", "password": PASSWORD}
    return client.post("/api/auth/token/", body, format="json", REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_registrations_beyond_the_rate_are_a_429_with_retry_after(api_client):
    for n in range(3):
        assert register(api_client, n).status_code == 201

    response = register(api_client, 3)

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


@pytest.mark.django_db
def test_the_register_rate_is_per_address(api_client):
    for n in range(3):
        register(api_client, n, ip="10.0.0.1")

    assert register(api_client, 3, ip="10.0.0.2").status_code == 201


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_header_does_not_escape_the_rate(api_client):
    for n in range(3):
        register(api_client, n, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    assert register(api_client, 3, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_address_is_used(api_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = settings.TRUSTED_PROXY_IPS[0]
    for n in range(3):
        register(api_client, n, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert register(api_client, 3, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 201


def test_successful_logins_are_throttled_too(api_client, alice):
    for _ in range(3):
        assert login(api_client).status_code == 200

    assert login(api_client).status_code == 429


def test_each_endpoint_has_its_own_bucket(api_client, alice):
    for n in range(3):
        register(api_client, n)

    assert login(api_client).status_code == 200


def test_refresh_is_throttled(api_client, alice):
    statuses = []
    for _ in range(4):
        token = str(RefreshToken.for_user(alice))
        response = api_client.post("/api/auth/token/refresh/", {"refresh": token}, format="json")
        statuses.append(response.status_code)

    assert statuses == [200, 200, 200, 429]


def test_logout_is_throttled(api_client, alice):
    statuses = []
    for _ in range(4):
        token = str(RefreshToken.for_user(alice))
        statuses.append(
            api_client.post("/api/auth/logout/", {"refresh": token}, format="json").status_code
        )

    assert statuses == [204, 204, 204, 429]
