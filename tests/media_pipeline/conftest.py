"""Storage fixtures: each backend as a client sees it, over real HTTP."""

import pytest

from media_pipeline.storage import get_storage
from media_pipeline.storage.local import LocalStorage


@pytest.fixture
def local_storage(live_server, transactional_db, settings) -> LocalStorage:
    """The local backend signing URLs that point at a live test server.

    transactional_db is named because pytest-django only adds it for tests that name
    live_server themselves, not for fixtures looked up at run time.
    """
    settings.STORAGE_BACKEND = "local"
    settings.PUBLIC_BASE_URL = live_server.url
    get_storage.cache_clear()
    storage = get_storage()
    assert isinstance(storage, LocalStorage)
    return storage


# --- Media pipeline: real audio samples, generated once per test process ---
from tests.media_pipeline.audio_fixtures import (  # noqa: E402, F401
    audio_samples,
    long_flac,
    no_variants,
)
