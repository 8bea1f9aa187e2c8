"""Fixtures and helpers for playlists: playlists with items laid down directly by key."""

from collections.abc import Sequence

import pytest

from core.catalog.models import Track, TrackStatus
from core.playlists.models import Playlist, PlaylistItem
from tests import factories


def _playable(track: Track) -> bool:
    return track.status == TrackStatus.READY and not track.is_hidden


def make_playlist(
    owner,
    tracks: Sequence[Track] = (),
    *,
    keys: Sequence[int] | None = None,
    is_public: bool = False,
    **fields,
) -> Playlist:
    """A playlist of `owner` holding `tracks` in order, at `keys` (default: 1024 apart)."""
    playlist = factories.PlaylistFactory(owner=owner, is_public=is_public, **fields)
    keys = keys if keys is not None else [(n + 1) * 1024 for n in range(len(tracks))]
    PlaylistItem.objects.bulk_create(
        PlaylistItem(playlist=playlist, track=track, position=key, playable=_playable(track))
        for track, key in zip(tracks, keys, strict=True)
    )
    playlist.items_count = len(tracks)
    playlist.save(update_fields=["items_count"])
    return playlist


def change_track(track: Track, **fields) -> None:
    """Change a track's status or visibility; its items follow (the database's trigger)."""
    for name, value in fields.items():
        setattr(track, name, value)
    track.save(update_fields=[*fields, "updated_at"])


def stored_order(playlist: Playlist) -> list[int]:
    """Track ids of every item in key order, unavailable tracks included."""
    return list(playlist.items.order_by("position").values_list("track_id", flat=True))


def listed_order(client, playlist: Playlist) -> list[int]:
    """Track ids as the API lists them to `client`, positions checked to be 0, 1, 2, ..."""
    response = client.get(f"/api/playlists/{playlist.pk}/items/", {"page_size": 100})
    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert [item["position"] for item in results] == list(range(len(results)))
    return [item["track"]["id"] for item in results]


@pytest.fixture
def tracks(db) -> list[Track]:
    """Five playable tracks."""
    return factories.TrackFactory.create_batch(5)


@pytest.fixture
def hidden_track(db) -> Track:
    return factories.TrackFactory(is_hidden=True)


@pytest.fixture
def unready_track(db) -> Track:
    return factories.TrackFactory(status=TrackStatus.PROCESSING)


@pytest.fixture
def private_playlist(alice, tracks) -> Playlist:
    """Alice's private playlist of the five tracks."""
    return make_playlist(alice, tracks, name="Late night")


@pytest.fixture
def public_playlist(alice, tracks) -> Playlist:
    """Alice's public playlist of the five tracks."""
    return make_playlist(alice, tracks, name="Morning", is_public=True)
