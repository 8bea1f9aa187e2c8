"""Fixtures of the account tests: a clean cache, a private media store, image uploads."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture(autouse=True)
def _clean_cache():
    """Throttle buckets and login failures live in the cache: every test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Avatars are written under this test's own directory."""
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": "/media/"},
        },
    }
    return root


@pytest.fixture
def auth_rate(settings):
    """auth_rate("3/min") sets the rate of the register, token, refresh and logout throttles."""

    def set_rate(rate: str) -> None:
        rest = settings.REST_FRAMEWORK
        settings.REST_FRAMEWORK = {
            **rest,
            "DEFAULT_THROTTLE_RATES": {**rest["DEFAULT_THROTTLE_RATES"], "auth": rate},
        }

    return set_rate


def image_bytes(width: int, height: int, fmt: str = "PNG", **save_args) -> bytes:
    out = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, (width, height), (200, 30, 90)).save(out, fmt, **save_args)
    return out.getvalue()


def image_upload(width: int = 64, height: int = 64, fmt: str = "PNG", **save_args):
    extension = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}[fmt]
    return SimpleUploadedFile(
        f"me.{extension}",
        image_bytes(width, height, fmt, **save_args),
        content_type=f"image/{extension}",
    )
