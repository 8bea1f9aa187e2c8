"""The stream authenticates from the token alone and confirms the account in its own query."""

import pytest

from core.library.models import Play
from tests import factories
from tests.conftest import client_for
from tests.library.paths import stream_url

pytestmark = pytest.mark.django_db


def test_a_deactivated_account_cannot_stream_with_a_token_issued_before(alice, track):
    client = client_for(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    response = client.post(stream_url(track.pk))

    assert response.status_code == 401
    assert response.json() == {"code": "user_inactive", "detail": "User is inactive"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert not Play.objects.exists()


def test_a_deleted_accounts_token_cannot_stream(track):
    user = factories.UserFactory()
    client = client_for(user)
    user.delete()

    response = client.post(stream_url(track.pk))

    assert response.status_code == 401
    assert response.json()["code"] == "user_not_found"
    assert not Play.objects.exists()


def test_a_deactivated_account_learns_nothing_about_tracks(alice):
    client = client_for(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    assert client.post(stream_url(999_999)).status_code == 401


def test_a_reactivated_account_streams_again_with_a_new_token_only(alice, track):
    client = client_for(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert client.post(stream_url(track.pk)).status_code == 401

    alice.is_active = True
    alice.save(update_fields=["is_active"])

    assert client.post(stream_url(track.pk)).json()["code"] == "token_revoked"
    assert client_for(alice).post(stream_url(track.pk)).status_code == 200
    assert Play.objects.filter(user=alice).count() == 1


def test_a_token_issued_before_a_password_change_cannot_stream(alice, track):
    client = client_for(alice)
    alice.set_password("a-brand-new-Passphrase-7")
    alice.save()

    response = client.post(stream_url(track.pk))

    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert not Play.objects.exists()


def test_a_forged_token_is_refused(track):
    client = client_for(factories.UserFactory())
    header = client._credentials["HTTP_AUTHORIZATION"]
    client.credentials(HTTP_AUTHORIZATION=header[:-4] + "AAAA")

    response = client.post(stream_url(track.pk))

    assert response.status_code == 401
    assert not Play.objects.exists()
