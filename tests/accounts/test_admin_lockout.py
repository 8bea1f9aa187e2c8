"""The admin's login shares the API's lockout: one count of failures per username and address,
and per address, whatever the door."""

import pytest
from django.test import Client

from tests import factories
from tests.factories import PASSWORD

ADMIN_LOGIN = "/admin/login/?next=/admin/"
API_LOGIN = "/api/auth/token/"


@pytest.fixture(autouse=True)
def _lockout(settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 5
    settings.LOGIN_LOCKOUT_ADDRESS_ATTEMPTS = 10
    settings.LOGIN_LOCKOUT_SECONDS = 900


@pytest.fixture
def root(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


def admin_login(username: str = "root", password: str = PASSWORD, ip: str = "10.0.0.1"):
    """A fresh browser's login to the admin: (logged in?, the answer)."""
    client = Client()
    response = client.post(
        ADMIN_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip
    )
    return "_auth_user_id" in client.session, response


def api_login(api_client, username: str = "root", password: str = PASSWORD, ip="10.0.0.1"):
    return api_client.post(API_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_right_admin_password_logs_in(root):
    logged_in, response = admin_login()

    assert logged_in
    assert response.status_code == 302


def test_five_wrong_admin_passwords_lock_the_username_out_of_the_admin(root):
    for _ in range(5):
        logged_in, _ = admin_login(password="wrong")
        assert not logged_in

    logged_in, response = admin_login()

    assert not logged_in
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()


def test_an_admin_lockout_holds_one_address_only(root):
    for _ in range(5):
        admin_login(password="wrong")

    assert admin_login(ip="10.0.0.2")[0]


def test_wrong_admin_passwords_over_many_usernames_lock_the_address_out(root):
    for n in range(10):
        assert not admin_login(username=f"guess{n}", password="wrong")[0]

    logged_in, response = admin_login()

    assert not logged_in
    assert "Too many failed logins" in response.content.decode()
    assert admin_login(ip="10.0.0.2")[0]


def test_an_api_lockout_keeps_the_account_out_of_the_admin(api_client, root):
    for _ in range(5):
        assert api_login(api_client, password="wrong").status_code == 401
    assert api_login(api_client).status_code == 429

    logged_in, response = admin_login()

    assert not logged_in
    assert "Too many failed logins" in response.content.decode()


def test_an_admin_lockout_keeps_the_account_out_of_the_api(api_client, root):
    for _ in range(5):
        admin_login(password="wrong")

    response = api_login(api_client)

    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"


def test_failures_at_both_doors_add_up(api_client, root):
    for _ in range(3):
        admin_login(password="wrong")
    for _ in range(2):
        api_login(api_client, password="wrong")

    assert not admin_login()[0]
    assert api_login(api_client).status_code == 429
