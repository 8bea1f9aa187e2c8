"""A small world with taste: rock fans and jazz fans, each listening within their genre,
trained once so the tables the endpoints read are filled."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from core.catalog.models import Genre, Track
from core.library.models import Play
from core.models import User
from core.recommendations import training
from tests import factories

ARTISTS_PER_GENRE = 4
ALBUMS_PER_ARTIST = 2
TRACKS_PER_ALBUM = 4
FANS = 6


@dataclass
class World:
    rock: Genre
    jazz: Genre
    rock_tracks: list[Track]
    jazz_tracks: list[Track]
    alice: User
    # Alice's counted listens, all 40 days ago.
    alice_heard: list[Track]


def listened(user, track, *, days_ago: float, counted: bool = True, seconds: float = 200):
    started = timezone.now() - timedelta(days=days_ago)
    return Play.objects.create(
        user=user,
        track=track,
        started_at=started,
        played_seconds=seconds,
        counted=counted,
        counted_at=started if counted else None,
    )


def _genre_tracks(genre: Genre, prefix: str) -> list[Track]:
    uploader = factories.UploaderFactory()
    tracks = []
    for a in range(ARTISTS_PER_GENRE):
        artist = factories.ArtistFactory(name=f"{prefix} artist {a}")
        for b in range(ALBUMS_PER_ARTIST):
            album = factories.AlbumFactory(title=f"{prefix} album {a}.{b}", artist=artist)
            for t in range(TRACKS_PER_ALBUM):
                tracks.append(
                    factories.TrackFactory(
                        title=f"{prefix} {a}.{b}.{t}",
                        artist=artist,
                        album=album,
                        genres=[genre],
                        uploaded_by=uploader,
                    )
                )
    return tracks


def _fans(tracks: list[Track], name: str) -> None:
    plays = []
    for f in range(FANS):
        fan = factories.UserFactory(username=f"{name}{f}")
        for i, track in enumerate(tracks):
            if (i + f) % 3 != 0:
                started = timezone.now() - timedelta(days=50 + i)
                plays.append(
                    Play(
                        user=fan,
                        track=track,
                        started_at=started,
                        played_seconds=200,
                        counted=True,
                        counted_at=started,
                    )
                )
    Play.objects.bulk_create(plays)


@pytest.fixture
def world(db) -> World:
    rock, jazz = factories.GenreFactory(name="Rock"), factories.GenreFactory(name="Jazz")
    rock_tracks, jazz_tracks = _genre_tracks(rock, "Rock"), _genre_tracks(jazz, "Jazz")
    _fans(rock_tracks, "rockfan")
    _fans(jazz_tracks, "jazzfan")
    # The catalog was uploaded long ago: no track is new (see training.NEW_DAYS).
    Track.objects.update(created_at=timezone.now() - timedelta(days=200))
    alice = factories.UserFactory(username="alice")
    heard = rock_tracks[:6]
    for track in heard:
        listened(alice, track, days_ago=40)
    return World(rock, jazz, rock_tracks, jazz_tracks, alice, heard)


@pytest.fixture
def trained(world) -> World:
    training.train()
    return world
