"""History pages built from rows (core/library/payloads.py) are byte for byte what
HistoryEntryOutputSerializer makes, over generated histories of streams and of listens heard
elsewhere (matched or not), on every page of the cursor."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db import transaction
from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.library import payloads
from core.library.models import ExternalListen, ListenSource
from core.processing.models import TrackMedia
from tests import factories
from tests.library.test_history import play_at

pytestmark = pytest.mark.django_db

entries = st.lists(
    st.fixed_dictionaries(
        {
            "track": st.integers(0, 3),
            "minutes": st.integers(0, 500),
            "counted": st.booleans(),
            # PostgreSQL text holds no NUL; the API refuses control characters anyway.
            "client": st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=10),
            # A listen heard elsewhere: unmatched (no track), or matched to the catalog.
            "external": st.sampled_from([None, "unmatched", "matched"]),
        }
    ),
    max_size=12,
)


def _external_listen(user, number: int, entry: dict, track) -> None:
    ExternalListen.objects.create(
        user=user,
        source=ListenSource.LASTFM,
        listened_at=datetime.now(UTC) - timedelta(minutes=entry["minutes"]),
        artist="Elsewhere " + entry["client"],
        title=f"Song {number}",
        album="",
        artist_key=f"elsewhere {entry['client']}".lower(),
        title_key=f"song {number}",
        track=track if entry["external"] == "matched" else None,
        matched=entry["external"] == "matched",
        counted=entry["counted"],
    )


def _pages(client, params: dict) -> list[bytes]:
    """Every page of the history, following `next`."""
    pages, url = [], "/api/history/"
    while url:
        response = client.get(url, params if url == "/api/history/" else None)
        assert response.status_code == 200
        pages.append(response.content)
        url = response.json()["next"]
    return pages


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=entries, page_size=st.integers(1, 5), favorite=st.booleans())
def test_the_fast_history_is_the_serializers_json_byte_for_byte(
    alice, alice_client, history, page_size, favorite
):
    with transaction.atomic():
        genre = factories.GenreFactory()
        tracks = [
            factories.TrackFactory(genres=[genre]),
            factories.TrackFactory(album=None),
            factories.TrackFactory(is_hidden=True),
            factories.TrackFactory(),
        ]
        TrackMedia.objects.create(track=tracks[3], artwork={"64": "a/64.jpg"}, loudness_lufs=-9)
        factories.TrackVariantFactory(track=tracks[0], quality="low")
        if favorite:
            factories.FavoriteFactory(user=alice, track=tracks[0])
        for number, entry in enumerate(history):
            if entry["external"]:
                _external_listen(alice, number, entry, tracks[entry["track"]])
                continue
            play_at(
                alice,
                entry["minutes"],
                track=tracks[entry["track"]],
                counted=entry["counted"],
                client=entry["client"],
            )
        # Frozen at the present: the client's token is checked against the clock.
        with freeze_time(datetime.now(UTC), tick=False):
            fast = _pages(alice_client, {"page_size": page_size})
            with mock.patch.object(payloads, "history_plan", lambda: None):
                slow = _pages(alice_client, {"page_size": page_size})
        transaction.set_rollback(True)

    assert fast == slow


def test_every_history_field_has_a_fast_path():
    # Fails when a field is added to HistoryEntryOutputSerializer (or the track list ones) that
    # the fast path cannot build: add it to core/library/payloads.py.
    assert payloads.history_plan() is not None
