"""X-Forwarded-* headers count only when a proxy of TRUSTED_PROXY_IPS sent the request:
anyone else claiming https is served as plain http, and cannot pick the address its
requests are throttled under."""

import pytest

pytestmark = pytest.mark.django_db

OUTSIDER = "203.0.113.7"


def https_claim(client, remote_addr: str):
    return client.get("/healthz", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR=remote_addr)


def test_a_claim_of_https_from_an_untrusted_address_is_not_secure(client):
    response = https_claim(client, OUTSIDER)

    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def test_a_claim_of_https_from_the_local_proxy_is_believed(client):
    response = https_claim(client, "127.0.0.1")

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_trusted_proxy_network_is_believed(client, settings):
    settings.TRUSTED_PROXY_IPS = ["10.0.0.0/8"]

    assert "Strict-Transport-Security" in https_claim(client, "10.20.30.40")
    assert "Strict-Transport-Security" not in https_claim(client, "127.0.0.1")


def test_an_untrusted_claim_of_https_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/api/genres/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR=OUTSIDER)

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_an_untrusted_forwarded_for_does_not_choose_the_throttled_address(
    api_client, settings, throttle_rates
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    throttle_rates(anon="2/min")

    codes = [
        api_client.get(
            "/api/genres/", REMOTE_ADDR=OUTSIDER, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(3)
    ]

    assert codes == [200, 200, 429]
