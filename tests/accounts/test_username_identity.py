"""Usernames are told apart as people tell them apart: by Unicode case fold and NFKC on every
database, and a name that mixes scripts with lookalike letters is refused."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError

from core.accounts.usernames import username_key
from core.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/auth/register/"
PASSPHRASE = "a-long-and-rare-passphrase"
CYRILLIC_O = "\u043e"


def register(client, username: str, email: str = "new@example.com"):
    return client.post(URL, {"username": username, "email": email, "password": PASSPHRASE})


def assert_username_refused(response) -> None:
    assert response.status_code == 400, response.content
    assert "username" in response.json()["fields"]


@pytest.mark.parametrize(
    "taken,attempt",
    [
        ("ärger", "ÄRGER"),
        ("straße", "STRASSE"),
        ("Straße", "strasse"),
        ("carol", "\uff23\uff21\uff32\uff2f\uff2c"),  # full-width CAROL
        ("ǅemal", "ǆemal"),  # title-case and lower-case digraph
    ],
)
def test_a_name_that_differs_only_by_case_or_unicode_form_is_taken(api_client, taken, attempt):
    UserFactory(username=taken, email="first@example.com")

    assert_username_refused(register(api_client, attempt))
    assert User.objects.count() == 1


def test_the_database_refuses_a_case_folded_duplicate_whatever_the_code_path():
    UserFactory(username="straße", email="first@example.com")

    with pytest.raises(IntegrityError):
        User.objects.create_user(username="STRASSE", email="second@example.com")


def test_a_latin_name_with_a_cyrillic_lookalike_letter_is_refused(api_client):
    UserFactory(username="bob", email="bob@example.com")

    assert_username_refused(register(api_client, f"b{CYRILLIC_O}b"))
    assert_username_refused(register(api_client, f"p{chr(0x0430)}ypal"))


@pytest.mark.parametrize("name", ["Павел", "東京事変", "jürgen.k", "user_42", "موسيقى"])
def test_names_in_one_script_register(api_client, name):
    assert register(api_client, name).status_code == 201


def test_login_by_a_differently_cased_or_composed_name_works(api_client):
    UserFactory(username="Straße")

    for spelling in ("Straße", "straße", "STRASSE"):
        response = api_client.post("/api/auth/token/", {"username": spelling, "password": PASSWORD})
        assert response.status_code == 200, spelling


def test_renaming_keeps_the_key_in_step():
    user = UserFactory(username="carol")
    user.username = "Caroline"
    user.save(update_fields=["username"])

    user.refresh_from_db()
    assert user.username_key == "caroline"


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_refuses_a_case_folded_duplicate_without_an_error_page(superuser_client):
    UserFactory(username="ärger")

    response = superuser_client.post(
        "/admin/core/user/add/",
        {
            "username": "ÄRGER",
            "password1": PASSPHRASE,
            "password2": PASSPHRASE,
            "usable_password": "true",
        },
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(username_key="ärger").count() == 1


def test_the_admin_refuses_a_mixed_script_lookalike(superuser_client):
    response = superuser_client.post(
        "/admin/core/user/add/",
        {
            "username": f"b{CYRILLIC_O}b",
            "password1": PASSPHRASE,
            "password2": PASSPHRASE,
            "usable_password": "true",
        },
    )

    assert response.status_code == 200
    assert "look alike" in response.content.decode()
    assert not User.objects.filter(username=f"b{CYRILLIC_O}b").exists()


def test_the_migration_fills_the_key_of_existing_accounts():
    user = UserFactory(username="ÄRGER")
    User.objects.filter(pk=user.pk).update(username_key="stale")
    migration = importlib.import_module("core.migrations.0011_accounts_username_key")

    migration.fill_username_keys(apps, None)

    user.refresh_from_db()
    assert user.username_key == username_key("ärger") == "ärger"
