"""GET /api/users/{username}/stats/: a listener's statistics, only once they make them public."""

import pytest

from tests.insights.conftest import listen, utc

PARAMS = {"period": "custom", "from": "2026-02-01", "to": "2026-02-01"}


def url(username: str) -> str:
    return f"/api/users/{username}/stats/"


@pytest.fixture
def alice_listened(alice, catalog):
    listen(alice, catalog[0], utc(2026, 2, 1, 12, 0))
    return alice


def test_statistics_are_private_by_default(alice_listened, alice_client, bob_client, api_client):
    assert alice_client.get("/api/me/").json()["stats_public"] is False
    for client in (api_client, bob_client, alice_client):
        response = client.get(url("alice"), PARAMS)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_public_statistics_are_readable_by_anyone_in_the_same_shape(
    alice_listened, alice_client, bob_client, api_client
):
    assert alice_client.patch("/api/me/", {"stats_public": True}).json()["stats_public"] is True
    own = alice_client.get("/api/me/stats/", PARAMS).json()

    for client in (api_client, bob_client):
        response = client.get(url("ALICE"), PARAMS)
        assert response.status_code == 200
        assert response.json() == own
    assert own["totals"]["listens"] == 1


def test_public_statistics_use_the_owners_time_zone(alice_listened, alice_client, api_client):
    alice_client.patch("/api/me/", {"stats_public": True, "time_zone": "Pacific/Kiritimati"})

    body = api_client.get(url("alice"), {**PARAMS, "from": "2026-02-02", "to": "2026-02-02"})

    assert body.json()["totals"]["listens"] == 1  # 02:00 on 2 February at +14


def test_statistics_made_private_again_are_hidden_again(alice_listened, alice_client, api_client):
    alice_client.patch("/api/me/", {"stats_public": True})
    alice_client.patch("/api/me/", {"stats_public": False})

    assert api_client.get(url("alice")).status_code == 404


def test_unknown_and_deactivated_users_are_a_404(alice_listened, alice_client, api_client):
    alice_client.patch("/api/me/", {"stats_public": True})
    alice_listened.is_active = False
    alice_listened.save(update_fields=["is_active"])

    assert api_client.get(url("alice")).status_code == 404
    assert api_client.get(url("nobody")).status_code == 404


def test_bad_input_on_public_statistics_is_a_400(alice_listened, alice_client, api_client):
    alice_client.patch("/api/me/", {"stats_public": True})

    response = api_client.get(url("alice"), {"period": "forever"})

    assert response.status_code == 400
    assert "period" in response.json()["fields"]
