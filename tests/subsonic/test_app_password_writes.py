"""A busy app does not write to the database on every call: last_used_at moves at most once a
minute per app password."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.accounts.app_passwords import _REMEMBERED
from core.accounts.models import AppPassword
from tests.subsonic.conftest import Subsonic

pytestmark = pytest.mark.django_db


def _writes(sonic) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        sonic.ok("ping")
    return [q["sql"] for q in captured if q["sql"].startswith("UPDATE")]


@pytest.mark.parametrize("remembered_seconds", [0, 60])
def test_last_used_is_written_once_a_minute_at_most(
    alice, alice_secret, settings, remembered_seconds
):
    settings.APP_PASSWORD_CACHE_SECONDS = remembered_seconds
    sonic = Subsonic({"apiKey": alice_secret})

    assert len(_writes(sonic)) == 1
    assert _writes(sonic) == []

    two_minutes_ago = timezone.now() - timedelta(minutes=2)
    AppPassword.objects.filter(user=alice).update(last_used_at=two_minutes_ago)
    for app_password, _ in (entry[2][0] for entry in _REMEMBERED.values()):
        app_password.last_used_at = two_minutes_ago  # a remembered check a minute on
    assert len(_writes(sonic)) == 1
