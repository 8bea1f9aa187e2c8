"""Tokens issued before a password change or a deactivation stop working everywhere, however
the change was made: by staff in the admin, with `changepassword`, or set_password() in code."""

import pytest
from django.contrib.auth.management.commands import changepassword
from django.core.management import call_command

from core.models import User
from tests import factories
from tests.factories import PASSWORD

NEW_PASSWORD = "a-brand-new-Passphrase-7"


@pytest.fixture
def pair(api_client, alice) -> dict:
    response = api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def track(db):
    return factories.TrackFactory(duration=180.0)


def bearer(client, access: str):
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def assert_every_old_token_refused(client, pair: dict, track) -> None:
    """The old access token reads nothing and streams nothing; the old refresh token is dead."""
    authorized = bearer(client, pair["access"])
    for path in ("/api/me/", "/api/history/", "/api/favorites/", "/api/playlists/"):
        response = authorized.get(path)
        assert response.status_code == 401, path
    stream = authorized.post(f"/api/tracks/{track.pk}/stream/", {})
    assert stream.status_code == 401
    client.credentials()
    refreshed = client.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]})
    assert refreshed.status_code == 401


def test_the_tokens_work_before_any_change(api_client, pair, track):
    authorized = bearer(api_client, pair["access"])

    assert authorized.get("/api/me/").status_code == 200
    assert authorized.get("/api/history/").status_code == 200
    assert authorized.post(f"/api/tracks/{track.pk}/stream/", {}).status_code == 200


def test_a_password_reset_by_staff_in_the_admin_revokes_the_users_tokens(
    client, api_client, alice, pair, track
):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        f"/admin/core/user/{alice.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert_every_old_token_refused(api_client, pair, track)


def test_the_changepassword_command_revokes_the_users_tokens(monkeypatch, api_client, pair, track):
    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": NEW_PASSWORD)

    call_command("changepassword", "alice")

    assert_every_old_token_refused(api_client, pair, track)


def test_set_password_and_save_anywhere_revokes_the_users_tokens(api_client, alice, pair, track):
    alice.set_password(NEW_PASSWORD)
    alice.save()

    assert_every_old_token_refused(api_client, pair, track)


def test_deactivation_revokes_the_users_tokens_for_good(api_client, alice, pair, track):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    alice.is_active = True
    alice.save(update_fields=["is_active"])

    assert_every_old_token_refused(api_client, pair, track)


def test_a_deactivated_users_tokens_are_refused(api_client, alice, pair, track):
    User.objects.filter(pk=alice.pk).update(is_active=False)

    assert_every_old_token_refused(api_client, pair, track)


def test_after_a_staff_reset_the_new_password_gives_tokens_that_work(
    api_client, alice, pair, track
):
    alice.set_password(NEW_PASSWORD)
    alice.save()
    fresh = api_client.post("/api/auth/token/", {"username": "alice", "password": NEW_PASSWORD})
    assert fresh.status_code == 200
    authorized = bearer(api_client, fresh.json()["access"])

    assert authorized.get("/api/me/").status_code == 200
    assert authorized.get("/api/history/").status_code == 200
    assert authorized.post(f"/api/tracks/{track.pk}/stream/", {}).status_code == 200


def test_a_login_that_upgrades_the_password_hash_revokes_nothing(settings, api_client, pair):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert (
        api_client.post("/api/auth/token/", {"username": "alice", "password": PASSWORD}).status_code
        == 200
    )

    assert bearer(api_client, pair["access"]).get("/api/me/").status_code == 200
