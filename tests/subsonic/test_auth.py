"""Who may call /rest/: an app password as u+p (plain or enc:), u+t+s or apiKey; never the
account password; failures count towards the login lockout, successes do not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.accounts.models import AppPassword
from tests import factories
from tests.subsonic.conftest import Subsonic, token_auth

pytestmark = pytest.mark.django_db


def test_token_and_salt_open_the_account(alice, alice_secret):
    assert Subsonic(token_auth("alice", alice_secret)).ok("ping")


def test_a_plain_password_opens_the_account(alice, alice_secret):
    assert Subsonic({"u": "alice", "p": alice_secret}).ok("ping")


def test_a_hex_encoded_password_opens_the_account(alice, alice_secret):
    assert Subsonic({"u": "alice", "p": "enc:" + alice_secret.encode().hex()}).ok("ping")


def test_an_api_key_opens_the_account_without_a_username(alice, alice_secret):
    body = Subsonic({"apiKey": alice_secret}).ok("getUser", username="alice")

    assert body["user"]["username"] == "alice"


def test_the_username_is_compared_as_accounts_are(alice, alice_secret):
    assert Subsonic(token_auth("ALICE", alice_secret)).ok("ping")


def test_the_account_password_never_works(alice):
    body = Subsonic({"u": "alice", "p": factories.PASSWORD}).json("ping")

    assert body["error"]["code"] == 40
    body = Subsonic(token_auth("alice", factories.PASSWORD)).json("ping")
    assert body["error"]["code"] == 40


def test_another_users_app_password_is_wrong(alice, bob, bob_secret):
    assert Subsonic(token_auth("alice", bob_secret)).json("ping")["error"]["code"] == 40


def test_a_wrong_api_key_is_error_44(alice):
    assert Subsonic({"apiKey": "nope"}).json("ping")["error"]["code"] == 44


def test_an_api_key_with_a_username_is_error_43(alice, alice_secret):
    body = Subsonic({"apiKey": alice_secret, "u": "alice"}).json("ping")

    assert body["error"]["code"] == 43


def test_a_username_without_secret_is_error_10(alice):
    assert Subsonic({"u": "alice"}).json("ping")["error"]["code"] == 10


def test_a_revoked_app_password_is_refused_at_once(alice, alice_secret):
    sonic = Subsonic(token_auth("alice", alice_secret))
    assert sonic.ok("ping")

    AppPassword.objects.filter(user=alice).delete()

    assert sonic.json("ping")["error"]["code"] == 40


def test_a_deactivated_account_is_refused(alice, alice_secret):
    alice.is_active = False
    alice.save()

    assert Subsonic({"apiKey": alice_secret}).json("ping")["error"]["code"] == 44
    assert Subsonic(token_auth("alice", alice_secret)).json("ping")["error"]["code"] == 40


def test_failures_lock_the_pair_out_like_the_login(alice, alice_secret, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 3
    wrong = Subsonic({"u": "alice", "p": "wrong"})
    for _ in range(3):
        assert wrong.json("ping")["error"]["code"] == 40

    response = Subsonic({"u": "alice", "p": alice_secret}).raw("ping", f="json")

    assert b"Too many failed logins" in response.content
    assert int(response["Retry-After"]) > 0


def test_failed_api_keys_lock_the_address_out(alice, alice_secret, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 100
    settings.LOGIN_LOCKOUT_ADDRESS_ATTEMPTS = 3
    for _ in range(3):
        Subsonic({"apiKey": "guess"}).json("ping")

    body = Subsonic({"apiKey": alice_secret}).json("ping")

    assert body["status"] == "failed"
    assert "Too many failed logins" in body["error"]["message"]


def test_successful_calls_never_count_towards_the_lockout(alice, alice_secret, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 2
    settings.LOGIN_LOCKOUT_ADDRESS_ATTEMPTS = 2
    sonic = Subsonic(token_auth("alice", alice_secret))

    for _ in range(10):
        assert sonic.ok("ping")


def test_a_database_dump_holds_neither_the_password_nor_its_plain_hash(alice, alice_secret):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_apppassword")
        dump = repr(cursor.fetchall())

    assert alice_secret not in dump
    assert alice_secret.encode().hex() not in dump


def test_a_remembered_check_spares_the_database_and_ends_with_revocation(
    alice, alice_secret, alice_client
):
    sonic = Subsonic(token_auth("alice", alice_secret))
    assert sonic.ok("ping")
    with CaptureQueriesContext(connection) as first:
        assert Subsonic(token_auth("alice", alice_secret)).ok("ping")
    assert Subsonic({"apiKey": alice_secret}).ok("ping")
    with CaptureQueriesContext(connection) as by_key:
        assert Subsonic({"apiKey": alice_secret}).ok("ping")
    assert (len(first), len(by_key)) == (0, 0)  # ping asks nothing else of the database

    [app_password] = AppPassword.objects.filter(user=alice)
    assert alice_client.delete(f"/api/me/app-passwords/{app_password.pk}/").status_code == 204

    assert sonic.json("ping")["error"]["code"] == 40
    assert Subsonic({"apiKey": alice_secret}).json("ping")["error"]["code"] == 44


def test_a_remembered_account_deactivated_is_refused_at_once(alice, alice_secret):
    assert Subsonic({"apiKey": alice_secret}).ok("ping")
    assert Subsonic(token_auth("alice", alice_secret)).ok("ping")

    alice.is_active = False
    alice.save()

    assert Subsonic({"apiKey": alice_secret}).json("ping")["error"]["code"] == 44
    assert Subsonic(token_auth("alice", alice_secret)).json("ping")["error"]["code"] == 40


def test_with_no_remembering_every_call_is_checked(alice, alice_secret, settings):
    settings.APP_PASSWORD_CACHE_SECONDS = 0
    assert Subsonic({"apiKey": alice_secret}).ok("ping")

    with CaptureQueriesContext(connection) as again:
        assert Subsonic({"apiKey": alice_secret}).ok("ping")

    assert len(again) == 1
