"""FileFields (avatars, artwork) go through django-storages on the configured backend."""

import io

import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from tests import factories


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


def test_image_field_is_stored_in_the_s3_bucket(s3_storage, db):
    user = factories.UserFactory()

    user.avatar.save("face.png", ContentFile(png_bytes()), save=True)

    stored = s3_storage.client.head_object(
        Bucket=s3_storage.bucket, Key=f"media/{user.avatar.name}"
    )
    assert stored["ContentLength"] == len(png_bytes())
    assert stored["ContentType"] == "image/png"


def test_image_field_url_on_s3_serves_the_image(s3_storage, db):
    user = factories.UserFactory()
    user.avatar.save("face.png", ContentFile(png_bytes()), save=True)

    response = requests.get(user.avatar.url, timeout=10)

    assert response.status_code == 200
    assert response.content == png_bytes()


def test_s3_file_storage_never_overwrites_a_name(s3_storage):
    first = default_storage.save("artwork/cover.png", ContentFile(b"one"))
    second = default_storage.save("artwork/cover.png", ContentFile(b"two"))

    assert first != second
    assert default_storage.open(first).read() == b"one"


def test_files_are_on_local_disk_with_the_local_backend(db):
    user = factories.UserFactory()

    user.avatar.save("face.png", ContentFile(png_bytes()), save=True)

    with open(default_storage.path(user.avatar.name), "rb") as f:
        assert f.read() == png_bytes()
    assert user.avatar.url.startswith("/media/avatars/")
