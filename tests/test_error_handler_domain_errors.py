"""Forbidden and Unauthenticated take the one error shape, with the service's own message."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_services_permission_message_reaches_the_client(alice_client):
    track = factories.TrackFactory()

    response = alice_client.delete(f"/api/tracks/{track.pk}/")

    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "detail": "Only the track's uploader and staff may delete it.",
    }


def test_a_deactivated_account_streaming_gets_a_401_with_the_scheme_to_use(alice, alice_client):
    track = factories.TrackFactory()
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    response = alice_client.post(f"/api/tracks/{track.pk}/stream/")

    assert response.status_code == 401
    assert response.json() == {"code": "user_inactive", "detail": "User is inactive"}
    assert response["WWW-Authenticate"].startswith("Bearer")
