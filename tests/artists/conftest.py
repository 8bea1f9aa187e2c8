"""Artists fixtures: an artist with a manager, a second artist with its own manager."""

import pytest

from core.artists.models import ArtistManager
from tests import factories
from tests.conftest import client_for


def make_manager(artist, **kwargs):
    user = factories.UserFactory(**kwargs)
    ArtistManager.objects.create(artist=artist, user=user)
    return user


@pytest.fixture
def artist(db):
    return factories.ArtistFactory(name="Nina Simone")


@pytest.fixture
def other_artist(db):
    return factories.ArtistFactory(name="Bill Evans")


@pytest.fixture
def manager(artist):
    return make_manager(artist, username="nina_team")


@pytest.fixture
def other_manager(other_artist):
    return make_manager(other_artist, username="bill_team")


@pytest.fixture
def manager_client(manager):
    return client_for(manager)


@pytest.fixture
def other_manager_client(other_manager):
    return client_for(other_manager)


@pytest.fixture
def media_root(settings, tmp_path):
    """Images are written under this test's own directory."""
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
def days_read(monkeypatch) -> list:
    """The local days whose rows artist statistics read for their settled part
    (insights.artists._read_days), in the order read."""
    from core.insights import artists as artists_figures

    found: list = []
    read = artists_figures._read_days

    def recorded(artist_id, tz, days):
        found.extend(days)
        return read(artist_id, tz, days)

    monkeypatch.setattr(artists_figures, "_read_days", recorded)
    return found
