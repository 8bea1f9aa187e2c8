"""One text policy for every name people read (core/text.py): a right-to-left override, an
embedding, an isolate or an invisible formatting character is refused in nicknames, bios,
playlist names and descriptions, track titles, artist, album and genre names and file names,
through the API and the admin; text read from a file's tags is cleaned of them."""

import uuid

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from core.catalog.models import Track
from core.playlists.models import Playlist
from core.text import clean, validate_name, validate_text
from tests import factories
from tests.catalog.uploading import presign

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "evil\u202egpj.exe" displays as "evilexe.jpg"
SPOOFS = [
    pytest.param(f"invoice{RLO}gpj.exe", id="right-to-left override"),
    pytest.param("a\u202bb\u202cc", id="embedding"),
    pytest.param("a\u2067b\u2069", id="isolate"),
    pytest.param("admin\u200f", id="direction mark"),
    pytest.param("ad\u200bmin", id="zero-width space"),
    pytest.param("a\u0085b", id="C1 control"),
]
KEPT = [
    pytest.param("Café del Mar", id="accents"),
    pytest.param("موسيقى", id="right-to-left script"),
    pytest.param("👨\u200d👩\u200d👧 mix", id="emoji joined by ZWJ"),
    pytest.param("می\u200cخواهم", id="zero-width non-joiner in Persian"),  # noqa: RUF001
    pytest.param("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", id="flag"),
    pytest.param("東京事変", id="CJK"),
]


def assert_refused(response, field: str) -> None:
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"], response.json()


@pytest.mark.parametrize("value", SPOOFS)
@pytest.mark.parametrize("field", ["nickname", "bio"])
def test_profile_fields_refuse_bidi_and_invisible_characters(alice, alice_client, field, value):
    response = alice_client.patch("/api/me/", {field: value}, format="json")

    assert_refused(response, field)
    alice.refresh_from_db()
    assert getattr(alice, field) == ""


@pytest.mark.parametrize("value", KEPT)
@pytest.mark.parametrize("field", ["nickname", "bio"])
def test_profile_fields_keep_scripts_and_emoji(alice_client, field, value):
    response = alice_client.patch("/api/me/", {field: value}, format="json")

    assert response.status_code == 200
    assert response.json()[field] == value


def test_a_bio_keeps_its_line_breaks_and_a_nickname_refuses_them(alice_client):
    assert alice_client.patch("/api/me/", {"bio": "one\ntwo"}).status_code == 200
    assert_refused(alice_client.patch("/api/me/", {"nickname": "one\u2028two"}), "nickname")


@pytest.mark.parametrize("value", SPOOFS)
@pytest.mark.parametrize("field", ["name", "description"])
def test_playlist_creation_refuses_bidi_and_invisible_characters(alice_client, field, value):
    body = {"name": "Fine", field: value}

    assert_refused(alice_client.post("/api/playlists/", body, format="json"), field)
    assert not Playlist.objects.exists()


@pytest.mark.parametrize("field", ["name", "description"])
def test_playlist_edits_refuse_a_right_to_left_override(alice, alice_client, field):
    playlist = factories.PlaylistFactory(owner=alice, name="Fine")

    response = alice_client.patch(f"/api/playlists/{playlist.pk}/", {field: f"x{RLO}y"})

    assert_refused(response, field)
    playlist.refresh_from_db()
    assert RLO not in playlist.name + playlist.description


def test_playlist_names_keep_right_to_left_scripts(alice_client):
    response = alice_client.post("/api/playlists/", {"name": "موسيقى"}, format="json")

    assert response.status_code == 201
    assert response.json()["name"] == "موسيقى"


@pytest.mark.parametrize(
    "field,value",
    [
        ("title", f"x{RLO}y"),
        ("artist", f"x{RLO}y"),
        ("album", f"x{RLO}y"),
        ("genre", f"x{RLO}y"),
        ("genres", [f"x{RLO}y"]),
    ],
)
def test_track_edits_refuse_a_right_to_left_override(uploader, uploader_client, field, value):
    track = factories.TrackFactory(uploaded_by=uploader, title="Fine")

    response = uploader_client.patch(f"/api/tracks/{track.pk}/", {field: value}, format="json")

    assert_refused(response, field)
    track.refresh_from_db()
    assert track.title == "Fine"


@pytest.mark.parametrize("field", ["title", "artist", "album", "genre"])
def test_track_registration_refuses_a_right_to_left_override(uploader_client, field):
    body = {"upload_id": str(uuid.uuid4()), field: f"x{RLO}y"}

    assert_refused(uploader_client.post("/api/tracks/", body, format="json"), field)
    assert not Track.objects.exists()


@pytest.mark.parametrize("value", SPOOFS)
def test_upload_file_names_refuse_bidi_and_invisible_characters(uploader_client, value):
    assert_refused(presign(uploader_client, filename=f"{value}.mp3"), "filename")


def test_the_admin_refuses_a_right_to_left_override_in_a_playlist_name(client, alice):
    playlist = factories.PlaylistFactory(owner=alice, name="Fine")
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        f"/admin/core/playlist/{playlist.pk}/change/",
        {"owner": alice.pk, "name": f"x{RLO}y", "description": "", "is_public": ""},
    )

    assert response.status_code == 200
    assert "not allowed" in response.content.decode()
    playlist.refresh_from_db()
    assert playlist.name == "Fine"


@pytest.mark.parametrize(
    "label",
    [
        "core.Track.title",
        "core.Artist.name",
        "core.Album.title",
        "core.Genre.name",
        "core.Playlist.name",
        "core.Playlist.description",
        "core.User.nickname",
        "core.User.bio",
    ],
)
def test_every_visible_name_field_carries_the_policy_in_the_model(label):
    app, model, field = label.split(".")
    validators = apps.get_model(app, model)._meta.get_field(field).validators

    assert validate_name in validators or validate_text in validators


def test_the_validators_name_the_refused_code_points():
    with pytest.raises(ValidationError, match="U\\+202E"):
        validate_name(f"x{RLO}y")
    with pytest.raises(ValidationError):
        validate_text(f"x{RLO}y")
    validate_text("line\nbreak")


def test_clean_keeps_what_the_policy_keeps():
    assert clean("👨\u200d👩\u200d👧 موسيقى") == "👨\u200d👩\u200d👧 موسيقى"
