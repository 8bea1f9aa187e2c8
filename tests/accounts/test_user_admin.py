import pytest
from django.contrib.auth.models import Group

from core import roles
from core.accounts.services import user_update_profile
from core.models import User
from tests.accounts.conftest import image_upload
from tests.factories import UserFactory

CHANGELIST = "/admin/core/user/"


def change_url(user: User) -> str:
    return f"/admin/core/user/{user.pk}/change/"


def delete_url(user: User) -> str:
    return f"/admin/core/user/{user.pk}/delete/"


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def as_user(client):
    def login(user: User):
        client.force_login(user)
        return client

    return login


def test_moderators_can_list_search_and_view_users(as_user, moderator, alice, bob):
    client = as_user(moderator)

    listing = client.get(CHANGELIST, {"q": "alice"})
    detail = client.get(change_url(alice))

    assert listing.status_code == 200
    assert "alice@example.com" in listing.content.decode()
    assert "bob@example.com" not in listing.content.decode()
    assert detail.status_code == 200
    assert 'name="username"' not in detail.content.decode()  # read-only, no form inputs


def test_moderators_cannot_change_or_delete_users(as_user, moderator, alice):
    client = as_user(moderator)

    change = client.post(change_url(alice), {"username": "renamed"})
    delete_page = client.get(delete_url(alice))
    delete = client.post(delete_url(alice), {"post": "yes"})
    bulk = client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [alice.pk], "post": "yes"}
    )

    assert change.status_code == 403
    assert delete_page.status_code == 403
    assert delete.status_code == 403
    assert bulk.status_code in (200, 302)
    alice.refresh_from_db()
    assert alice.username == "alice"


def test_staff_without_the_view_permission_cannot_see_users(as_user, staff, alice):
    client = as_user(staff)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(alice)).status_code == 403


def test_listeners_are_sent_to_the_admin_login(as_user, alice):
    response = as_user(alice).get(CHANGELIST)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_user_list_filters_by_staff_and_group(as_user, superuser, uploader, alice):
    client = as_user(superuser)
    uploaders = Group.objects.get(name=roles.UPLOADERS)

    by_group = client.get(CHANGELIST, {"groups__id__exact": uploaders.pk}).content.decode()
    by_staff = client.get(CHANGELIST, {"is_staff__exact": "0"}).content.decode()

    assert "uploader@example.com" in by_group and "alice@example.com" not in by_group
    assert "alice@example.com" in by_staff and "root@example.com" not in by_staff


def test_superusers_can_delete_users(as_user, superuser, alice):
    response = as_user(superuser).post(delete_url(alice), {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()


def test_the_profile_fields_are_shown(as_user, superuser, alice):
    alice.nickname = "Al the oboist"
    alice.save()

    page = as_user(superuser).get(change_url(alice)).content.decode()

    assert "Al the oboist" in page and 'name="bio"' in page


def test_staff_who_may_change_users_can_remove_avatars(
    as_user, superuser, moderator, alice, django_capture_on_commit_callbacks
):
    user_update_profile(user=alice, avatar=image_upload())
    action = {"action": "remove_avatars", "_selected_action": [alice.pk]}

    as_user(moderator).post(CHANGELIST, action)
    alice.refresh_from_db()
    assert alice.avatar

    with django_capture_on_commit_callbacks(execute=True):
        as_user(superuser).post(CHANGELIST, action)
    alice.refresh_from_db()
    assert not alice.avatar


def test_moderators_see_no_password_reset_link_they_could_not_use(as_user, moderator, alice):
    client = as_user(moderator)

    detail = client.get(change_url(alice)).content.decode()

    assert "../password/" not in detail
    assert "Reset password" not in detail
    assert client.get(f"/admin/core/user/{alice.pk}/password/").status_code == 403


def test_superusers_still_get_the_password_reset_link(as_user, superuser, alice):
    detail = as_user(superuser).get(change_url(alice)).content.decode()

    assert "../password/" in detail
