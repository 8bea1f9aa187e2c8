"""Fixtures for favorites, play history and streaming."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest

from core.catalog.models import TrackStatus
from tests import factories


@pytest.fixture
def track(db):
    """A playable track of 180 s."""
    return factories.TrackFactory(duration=180.0)


@pytest.fixture
def hidden_track(db):
    return factories.TrackFactory(is_hidden=True)


@pytest.fixture
def unready_track(db):
    return factories.TrackFactory(status=TrackStatus.PROCESSING)


class Clock:
    """django.utils.timezone.now() frozen at `start`; `advance(seconds)` moves it forward."""

    def __init__(self, patched: mock.MagicMock):
        self._patched = patched
        self.start = datetime.now(UTC)
        patched.return_value = self.start

    def advance(self, seconds: float) -> datetime:
        self._patched.return_value += timedelta(seconds=seconds)
        return self._patched.return_value


@pytest.fixture
def clock() -> Iterator[Clock]:
    with mock.patch("django.utils.timezone.now") as patched:
        yield Clock(patched)
