"""Catalog fixtures: tracks in each state a role can or cannot see."""

import pytest

from core.catalog.models import TrackStatus
from tests import factories
from tests.media_pipeline.audio_fixtures import audio_samples  # noqa: F401

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    """Processing runs in the test itself when the registration commits, as no worker does
    here; pair it with django_capture_on_commit_callbacks(execute=True)."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def playable(db):
    return factories.TrackFactory(title="Playable")


@pytest.fixture
def hidden(db):
    return factories.TrackFactory(title="Hidden", is_hidden=True)


@pytest.fixture
def failed_of_another_uploader(db):
    return factories.TrackFactory(
        title="Failed elsewhere", status=TrackStatus.FAILED, failure_reason="not audio"
    )


@pytest.fixture
def own_processing(uploader):
    return factories.TrackFactory(
        title="Own processing", status=TrackStatus.PROCESSING, uploaded_by=uploader
    )


@pytest.fixture
def own_hidden(uploader):
    return factories.TrackFactory(title="Own hidden", is_hidden=True, uploaded_by=uploader)


@pytest.fixture
def catalog(playable, hidden, failed_of_another_uploader, own_processing, own_hidden):
    """One track of each kind; `own_*` belong to the `uploader` fixture."""
    return {
        "playable": playable,
        "hidden": hidden,
        "failed": failed_of_another_uploader,
        "own_processing": own_processing,
        "own_hidden": own_hidden,
    }
