"""Shared fixtures: the cast of users, authenticated API clients, and storage."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from media_pipeline.storage import get_storage
from tests import factories

pytest_plugins = [
    "tests.postgres_server",
    "tests.redis_server",
    "tests.s3server",
    "tests.strict_s3",
]


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def client_for(user) -> APIClient:
    """An API client that sends a JWT access token for `user`."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def alice(db):
    return factories.UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return factories.UserFactory(username="bob")


@pytest.fixture
def uploader(db):
    return factories.UploaderFactory(username="uploader")


@pytest.fixture
def moderator(db):
    return factories.ModeratorFactory(username="moderator")


@pytest.fixture
def staff(db):
    return factories.StaffFactory(username="staff")


@pytest.fixture
def alice_client(alice) -> APIClient:
    return client_for(alice)


@pytest.fixture
def bob_client(bob) -> APIClient:
    return client_for(bob)


@pytest.fixture
def uploader_client(uploader) -> APIClient:
    return client_for(uploader)


@pytest.fixture
def moderator_client(moderator) -> APIClient:
    return client_for(moderator)


@pytest.fixture
def staff_client(staff) -> APIClient:
    return client_for(staff)


@pytest.fixture(autouse=True)
def _fresh_storage(settings, tmp_path):
    """Each test gets its own local object store; the process-wide backend is rebuilt."""
    settings.LOCAL_STORAGE_ROOT = tmp_path / "storage"
    settings.MEDIA_ROOT = tmp_path / "storage" / "media"
    get_storage.cache_clear()
    yield
    get_storage.cache_clear()
