"""Shared fixtures: the cast of users, authenticated API clients, and storage."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from core.accounts.tokens import VersionedRefreshToken
from media_pipeline.storage import get_storage
from tests import factories

pytest_plugins = [
    "tests.postgres_server",
    "tests.redis_server",
    "tests.s3server",
    "tests.strict_s3",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: pages kept under the catalog version must not
    outlive the test that built them (its rows roll back, the version's sequence does not)."""
    cache.clear()
    yield


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def client_for(user) -> APIClient:
    """An API client that sends a JWT access token for `user`."""
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {VersionedRefreshToken.for_user(user).access_token}"
    )
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


@pytest.fixture
def throttle_rates(settings):
    """throttle_rates(stream="2/min") sets those rates and starts every bucket empty."""

    def set_rates(**rates: str) -> None:
        rest = settings.REST_FRAMEWORK
        settings.REST_FRAMEWORK = {
            **rest,
            "DEFAULT_THROTTLE_RATES": {**rest["DEFAULT_THROTTLE_RATES"], **rates},
        }
        cache.clear()

    yield set_rates
    cache.clear()
