"""What the catalog admin tells a moderator after an action, in plain English."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _messages_after(user, action: str, count: int) -> str:
    client = Client()
    client.force_login(user)
    tracks = [factories.TrackFactory() for _ in range(count)]
    response = client.post(
        reverse("admin:core_track_changelist"),
        {"action": action, "_selected_action": [t.pk for t in tracks]},
        follow=True,
    )
    return " ".join(str(message) for message in response.context["messages"])


@pytest.mark.parametrize(
    ("action", "count", "message"),
    [
        ("hide_tracks", 1, "Hid 1 track."),
        ("hide_tracks", 2, "Hid 2 tracks."),
        ("unhide_tracks", 1, "Unhid 1 track."),
        ("unhide_tracks", 3, "Unhid 3 tracks."),
    ],
)
def test_hide_and_unhide_say_how_many_tracks_in_good_english(moderator, action, count, message):
    assert _messages_after(moderator, action, count) == message
