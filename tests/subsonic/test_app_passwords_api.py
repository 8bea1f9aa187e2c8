"""/api/me/app-passwords/: make one (shown once), list them without secrets, revoke one."""

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from core.accounts.app_passwords import app_password_create
from core.accounts.models import AppPassword
from tests.subsonic.conftest import Subsonic

pytestmark = pytest.mark.django_db


def test_a_listener_makes_an_app_password_and_sees_it_once(alice_client):
    response = alice_client.post("/api/me/app-passwords/", {"name": "DSub"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "password", "created_at"}
    assert body["name"] == "DSub"
    assert len(body["password"]) >= 20
    assert Subsonic({"u": "alice", "p": body["password"]}).ok("ping")


def test_the_list_shows_no_secret_and_when_each_was_last_used(alice_client):
    created = alice_client.post("/api/me/app-passwords/", {"name": "Tempo"}, format="json")
    Subsonic({"apiKey": created.json()["password"]}).ok("ping")

    listed = alice_client.get("/api/me/app-passwords/").json()

    assert [set(item) for item in listed] == [{"id", "name", "created_at", "last_used_at"}]
    assert listed[0]["last_used_at"] is not None
    assert created.json()["password"] not in str(listed)


def test_revoking_stops_the_app_at_once(alice_client):
    created = alice_client.post("/api/me/app-passwords/", {"name": "Ultrasonic"}, format="json")
    secret = created.json()["password"]

    response = alice_client.delete(f"/api/me/app-passwords/{created.json()['id']}/")

    assert response.status_code == 204
    assert Subsonic({"apiKey": secret}).json("ping")["error"]["code"] == 44


def test_one_cannot_revoke_or_see_anothers_app_password(alice_client, bob_client, bob):
    created = bob_client.post("/api/me/app-passwords/", {"name": "Bob's"}, format="json").json()

    assert alice_client.get("/api/me/app-passwords/").json() == []
    assert alice_client.delete(f"/api/me/app-passwords/{created['id']}/").status_code == 404
    assert AppPassword.objects.filter(user=bob).count() == 1


def test_anonymous_callers_are_refused(api_client):
    assert api_client.get("/api/me/app-passwords/").status_code == 401
    assert api_client.post("/api/me/app-passwords/", {"name": "x"}).status_code == 401


def test_a_name_is_required(alice_client):
    response = alice_client.post("/api/me/app-passwords/", {}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()["fields"]


def test_key_rotation_keeps_every_app_password_working(alice, alice_client, settings):
    secret = alice_client.post("/api/me/app-passwords/", {"name": "A"}, format="json").json()[
        "password"
    ]
    old_key = settings.APP_PASSWORD_KEYS[0]
    settings.APP_PASSWORD_KEYS = ["bmV3LWtleS1mb3ItYXBwLXBhc3N3b3Jkcy0zMmJ5dGU=", old_key]
    assert Subsonic({"u": "alice", "p": secret}).ok("ping")  # found under the old key

    out = io.StringIO()
    call_command("rotate_app_passwords", stdout=out)
    assert "Re-encrypted 1 app password" in out.getvalue()
    settings.APP_PASSWORD_KEYS = ["bmV3LWtleS1mb3ItYXBwLXBhc3N3b3Jkcy0zMmJ5dGU="]

    assert Subsonic({"u": "alice", "p": secret}).ok("ping")
    assert Subsonic({"apiKey": secret}).ok("ping")


def test_production_refuses_to_start_without_app_password_keys():
    from tests.config.test_settings_start import start_django

    result = start_django(
        DEBUG="false", SECRET_KEY="x" * 50, unset=frozenset({"APP_PASSWORD_KEYS"})
    )

    assert result.returncode != 0
    assert "APP_PASSWORD_KEYS must be set" in result.stderr


def test_a_malformed_key_is_refused_with_its_name(alice, settings):
    settings.APP_PASSWORD_KEYS = ["not-a-fernet-key"]

    with pytest.raises(ImproperlyConfigured, match="APP_PASSWORD_KEYS"):
        app_password_create(user=alice, name="DSub")


def test_the_embedded_run_derives_a_key_from_the_secret_key(tmp_path):
    from tests.config.test_settings_start import start_django

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from cryptography.fernet import Fernet; [key] = settings.APP_PASSWORD_KEYS; "
        "Fernet(key); assert settings.SECRET_KEY not in key; print('ok')"
    )
    result = start_django(
        code=code, DEBUG="true", DATA_DIR=str(tmp_path), unset=frozenset({"APP_PASSWORD_KEYS"})
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
