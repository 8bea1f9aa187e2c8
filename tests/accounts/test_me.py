import pytest
from rest_framework.test import APIClient

URL = "/api/me/"


def test_anonymous_has_no_profile(api_client, db):
    for response in (api_client.get(URL), api_client.patch(URL, {"nickname": "x"})):
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_an_invalid_access_token_is_a_401_with_the_json_shape(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer garbage")

    response = client.get(URL)

    assert response.status_code == 401
    assert response.json() == {
        "code": "token_not_valid",
        "detail": "Given token not valid for any token type",
    }


def test_me_is_ones_own_profile(alice_client, alice):
    alice.nickname, alice.bio = "Al", "Plays the oboe."
    alice.save()

    body = alice_client.get(URL).json()

    assert body == {
        "id": alice.pk,
        "username": "alice",
        "email": "alice@example.com",
        "nickname": "Al",
        "bio": "Plays the oboe.",
        "avatar": None,
        "roles": {"uploader": False, "moderator": False},
        "time_zone": "UTC",
        "stats_public": False,
        "favorite_genres": [],
        "date_joined": body["date_joined"],
    }


@pytest.mark.parametrize(
    ("who", "roles"),
    [
        ("alice", {"uploader": False, "moderator": False}),
        ("uploader", {"uploader": True, "moderator": False}),
        ("moderator", {"uploader": True, "moderator": True}),
        ("staff", {"uploader": True, "moderator": True}),
    ],
)
def test_roles_say_what_the_user_may_do(request, who, roles):
    client = request.getfixturevalue(f"{who}_client")

    assert client.get(URL).json()["roles"] == roles


def test_roles_held_directly_or_through_a_group_count_and_leave_at_once(alice, alice_client):
    from django.contrib.auth.models import Group, Permission

    upload = Permission.objects.get(content_type__app_label="core", codename="upload_track")
    alice.user_permissions.add(upload)
    assert alice_client.get(URL).json()["roles"] == {"uploader": True, "moderator": False}

    alice.user_permissions.remove(upload)
    moderators = Group.objects.create(name="Night shift")
    moderators.permissions.add(
        Permission.objects.get(content_type__app_label="core", codename="moderate_track")
    )
    alice.groups.add(moderators)
    assert alice_client.get(URL).json()["roles"] == {"uploader": False, "moderator": True}

    alice.groups.remove(moderators)
    assert alice_client.get(URL).json()["roles"] == {"uploader": False, "moderator": False}


def test_patch_changes_nickname_and_bio(alice_client, alice):
    response = alice_client.patch(URL, {"nickname": "Ali", "bio": "Line one.\nLine two."})

    assert response.status_code == 200
    assert response.json()["nickname"] == "Ali"
    alice.refresh_from_db()
    assert (alice.nickname, alice.bio) == ("Ali", "Line one.\nLine two.")


def test_patch_changes_only_ones_own_profile(bob_client, alice, bob):
    bob_client.patch(URL, {"nickname": "Bobby"})

    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.nickname, bob.nickname) == ("", "Bobby")


def test_an_empty_patch_changes_nothing(alice_client, alice):
    response = alice_client.patch(URL, {})

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


@pytest.mark.parametrize(
    ("field", "value"), [("username", "mallory"), ("email", "mallory@example.com")]
)
def test_username_and_email_cannot_be_changed(alice_client, alice, field, value):
    response = alice_client.patch(URL, {field: value, "nickname": "sneaky"})

    assert response.status_code == 400
    assert response.json()["fields"] == {field: [f"The {field} cannot be changed."]}
    alice.refresh_from_db()
    assert (alice.username, alice.email, alice.nickname) == ("alice", "alice@example.com", "")


def test_sending_back_the_current_username_and_email_is_accepted(alice_client):
    profile = alice_client.get(URL).json()

    response = alice_client.patch(
        URL, {"username": profile["username"], "email": profile["email"], "nickname": "A"}
    )

    assert response.status_code == 200


def test_profile_fields_outside_the_editable_ones_are_ignored(alice_client, alice):
    response = alice_client.patch(URL, {"is_staff": True, "id": 999, "roles": {"uploader": 1}})

    assert response.status_code == 200
    alice.refresh_from_db()
    assert not alice.is_staff and alice.pk != 999


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"nickname": "n" * 51}, "nickname"),
        ({"bio": "b" * 1001}, "bio"),
        ({"nickname": "bell\x07"}, "nickname"),
        ({"nickname": "two\nlines"}, "nickname"),
        ({"bio": "nul\x00byte"}, "bio"),
        ({"nickname": ["a", "list"]}, "nickname"),
        ({"avatar": "not a file"}, "avatar"),
    ],
)
def test_bad_profile_values_are_a_400_naming_the_field(alice_client, alice, body, field):
    response = alice_client.patch(URL, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_put_is_not_offered(alice_client):
    assert alice_client.put(URL, {"nickname": "x"}).status_code == 405
