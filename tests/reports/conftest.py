"""Reports fixtures: something to report, and a clean throttle cache."""

import pytest
from django.core.cache import cache

from tests import factories

REPORTS_URL = "/api/reports/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def track(db):
    return factories.TrackFactory(title="Reported Song")


@pytest.fixture
def public_playlist(bob):
    return factories.PlaylistFactory(owner=bob, name="Bob's open mix", is_public=True)


@pytest.fixture
def report_rate(settings):
    """report_rate("3/hour") sets the rate of the report throttle."""

    def set_rate(rate: str) -> None:
        rest = settings.REST_FRAMEWORK
        settings.REST_FRAMEWORK = {
            **rest,
            "DEFAULT_THROTTLE_RATES": {**rest["DEFAULT_THROTTLE_RATES"], "report": rate},
        }

    return set_rate


def report(client, kind: str, item_id: int, reason: str = "spam", **extra):
    return client.post(REPORTS_URL, {"kind": kind, "id": item_id, "reason": reason, **extra})
