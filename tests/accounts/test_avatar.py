import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.parsers import MultiPartParser

from tests.accounts.conftest import image_bytes, image_upload

URL = "/api/me/"


def upload(client, file):
    return client.patch(URL, {"avatar": file}, format="multipart")


def stored_files(media_root: Path) -> list[Path]:
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def assert_avatar_refused(response, alice, media_root) -> None:
    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == ["avatar"]
    alice.refresh_from_db()
    assert not alice.avatar
    assert stored_files(media_root) == []


def test_an_uploaded_png_is_stored_as_a_webp_of_at_most_512_pixels(alice_client, alice, media_root):
    response = upload(alice_client, image_upload(1024, 768))

    assert response.status_code == 200
    alice.refresh_from_db()
    assert response.json()["avatar"] == f"http://testserver/media/{alice.avatar.name}"
    assert alice.avatar.name.startswith(f"avatars/{alice.pk}/")
    assert alice.avatar.name.endswith(".webp")
    with Image.open(media_root / alice.avatar.name) as stored:
        assert stored.format == "WEBP"
        assert stored.size == (512, 384)


def test_the_stored_name_is_made_by_the_server(alice_client, alice):
    file = SimpleUploadedFile("../../etc/passwd.png", image_bytes(10, 10), "image/png")

    upload(alice_client, file)

    alice.refresh_from_db()
    assert "passwd" not in alice.avatar.name and ".." not in alice.avatar.name


def test_small_images_are_not_enlarged(alice_client, alice, media_root):
    upload(alice_client, image_upload(100, 40, "GIF"))

    alice.refresh_from_db()
    with Image.open(media_root / alice.avatar.name) as stored:
        assert stored.size == (100, 40)


def test_exif_is_stripped_after_applying_its_orientation(alice_client, alice, media_root):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees
    exif[0x010F] = "Camera maker"
    response = upload(alice_client, image_upload(200, 100, "JPEG", exif=exif))

    assert response.status_code == 200
    alice.refresh_from_db()
    with Image.open(media_root / alice.avatar.name) as stored:
        assert stored.size == (100, 200)
        assert "exif" not in stored.info
        assert not stored.getexif()


def test_a_text_file_named_png_is_refused(alice_client, alice, media_root):
    file = SimpleUploadedFile("me.png", b"just some text, honestly", content_type="image/png")

    assert_avatar_refused(upload(alice_client, file), alice, media_root)


@pytest.mark.parametrize(
    "content",
    [
        image_bytes(64, 64)[:60],  # truncated PNG
        b"GIF89a" + b"\x00" * 40,
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        b"",
    ],
)
def test_broken_or_foreign_files_are_refused(alice_client, alice, media_root, content):
    file = SimpleUploadedFile("me.png", content, content_type="image/png")

    assert_avatar_refused(upload(alice_client, file), alice, media_root)


def test_images_in_other_formats_are_refused(alice_client, alice, media_root):
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "BMP")
    file = SimpleUploadedFile("me.bmp", out.getvalue(), content_type="image/bmp")

    assert_avatar_refused(upload(alice_client, file), alice, media_root)


def test_an_image_over_the_byte_limit_is_refused(alice_client, alice, media_root, settings):
    settings.AVATAR_MAX_BYTES = 1000

    response = upload(alice_client, image_upload(300, 300))

    assert_avatar_refused(response, alice, media_root)
    assert "1000 bytes" in response.json()["fields"]["avatar"][0]


def test_an_image_over_the_pixel_limit_is_refused(alice_client, alice, media_root, settings):
    settings.AVATAR_MAX_PIXELS = 100 * 100

    assert_avatar_refused(upload(alice_client, image_upload(101, 100)), alice, media_root)


def test_a_decompression_bomb_is_refused(alice_client, alice, media_root, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

    assert_avatar_refused(upload(alice_client, image_upload(100, 100)), alice, media_root)


def test_a_new_avatar_replaces_the_old_file(
    alice_client, alice, media_root, django_capture_on_commit_callbacks
):
    upload(alice_client, image_upload(50, 50))
    alice.refresh_from_db()
    first = alice.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        upload(alice_client, image_upload(60, 60))

    alice.refresh_from_db()
    assert alice.avatar.name != first
    assert stored_files(media_root) == [media_root / alice.avatar.name]


def test_a_refused_upload_keeps_the_current_avatar(alice_client, alice, media_root):
    upload(alice_client, image_upload(50, 50))
    alice.refresh_from_db()
    current = alice.avatar.name

    upload(alice_client, SimpleUploadedFile("x.png", b"text", content_type="image/png"))

    alice.refresh_from_db()
    assert alice.avatar.name == current
    assert stored_files(media_root) == [media_root / current]


@pytest.mark.parametrize(
    ("body", "fmt"), [({"avatar": None}, "json"), ({"avatar": ""}, "multipart")]
)
def test_an_empty_avatar_removes_it_and_its_file(
    alice_client, alice, media_root, django_capture_on_commit_callbacks, body, fmt
):
    upload(alice_client, image_upload(50, 50))

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.patch(URL, body, format=fmt)

    assert response.status_code == 200
    assert response.json()["avatar"] is None
    alice.refresh_from_db()
    assert not alice.avatar
    assert stored_files(media_root) == []


def test_avatar_and_text_fields_change_together(alice_client, alice):
    response = alice_client.patch(
        URL, {"avatar": image_upload(), "nickname": "Al"}, format="multipart"
    )

    assert response.status_code == 200
    assert response.json()["nickname"] == "Al"
    assert response.json()["avatar"].endswith(".webp")


def test_another_user_never_sees_or_touches_my_avatar(alice_client, bob_client, alice):
    upload(alice_client, image_upload())

    assert bob_client.get(URL).json()["avatar"] is None
    bob_client.patch(URL, {"avatar": None}, format="json")
    alice.refresh_from_db()
    assert alice.avatar


def test_a_huge_request_is_refused_before_its_body_is_read(
    alice_client, alice, media_root, settings, monkeypatch
):
    settings.AVATAR_MAX_BYTES = 1000

    def must_not_parse(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(MultiPartParser, "parse", must_not_parse)
    file = SimpleUploadedFile("big.png", b"\x89PNG" + b"\x00" * 100_000, "image/png")

    response = upload(alice_client, file)

    assert_avatar_refused(response, alice, media_root)
    assert response.json()["code"] == "file_too_large"
