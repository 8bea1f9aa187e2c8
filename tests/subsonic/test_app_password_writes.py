"""A busy app does not write to the database on every call: last_used_at moves at most once a
minute per app password."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.accounts.models import AppPassword
from tests.subsonic.conftest import Subsonic

pytestmark = pytest.mark.django_db


def _writes(sonic) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        sonic.ok("ping")
    return [q["sql"] for q in captured if q["sql"].startswith("UPDATE")]


def test_last_used_is_written_once_a_minute_at_most(alice, alice_secret):
    sonic = Subsonic({"apiKey": alice_secret})

    assert len(_writes(sonic)) == 1
    assert _writes(sonic) == []

    AppPassword.objects.filter(user=alice).update(
        last_used_at=timezone.now() - timedelta(minutes=2)
    )
    assert len(_writes(sonic)) == 1
