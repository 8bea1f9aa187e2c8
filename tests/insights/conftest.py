"""Fixtures for insights: listens made through the library's progress service, and the
plain Python computations every figure is checked against."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from core.library import services as library_services
from core.library.models import Play
from tests import factories


@pytest.fixture
def catalog(db):
    """Two artists, three albums, two genres and five playable tracks of 200 s."""
    rock, jazz = factories.GenreFactory(name="Rock"), factories.GenreFactory(name="Jazz")
    ada, bix = factories.ArtistFactory(name="Ada"), factories.ArtistFactory(name="Bix")
    albums = [
        factories.AlbumFactory(title="First", artist=ada),
        factories.AlbumFactory(title="Second", artist=ada),
        factories.AlbumFactory(title="Third", artist=bix),
    ]
    tracks = [
        factories.TrackFactory(artist=ada, album=albums[0], genres=[rock], duration=200.0),
        factories.TrackFactory(artist=ada, album=albums[0], genres=[rock, jazz], duration=200.0),
        factories.TrackFactory(artist=ada, album=albums[1], genres=[jazz], duration=200.0),
        factories.TrackFactory(artist=bix, album=albums[2], genres=[jazz], duration=200.0),
        factories.TrackFactory(artist=bix, album=None, duration=200.0),
    ]
    return tracks


def listen(user, track, at: datetime, seconds: float | None = None) -> Play:
    """A history entry started at `at`, reported as played for `seconds` (the whole track by
    default) through the progress service, as a player would."""
    play = Play.objects.create(user=user, track=track, started_at=at)
    played = track.duration if seconds is None else seconds
    return library_services.play_report_progress(user=user, play_id=play.pk, played_seconds=played)


@pytest.fixture
def make_listen() -> Callable[..., Play]:
    return listen


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def ms(seconds: float) -> int:
    return int(seconds * 1000 + 0.5)


def counted(user, first_utc: datetime, end_utc: datetime) -> list[Play]:
    """The user's counted plays started in [first_utc, end_utc), read plainly."""
    return [
        p
        for p in Play.objects.filter(user=user, counted=True).select_related(
            "track", "track__artist", "track__album"
        )
        if first_utc <= p.started_at < end_utc
    ]


def flattened(top: dict) -> dict:
    """Top lists with each item's subject reduced to its id, as the plain computations give."""
    return {
        kind: [
            {**{k: v for k, v in item.items() if k != kind[:-1]}, "id": item[kind[:-1]]["id"]}
            for item in items
        ]
        for kind, items in top.items()
    }


def random_tracks(rng, catalog: list) -> list:
    """`catalog` and twelve more tracks of four artists, most on albums, each in up to two of
    three genres drawn with `rng`."""
    artists = [factories.ArtistFactory(name=f"Artist {n}") for n in range(4)]
    albums = [factories.AlbumFactory(title=f"Album {n}", artist=a) for n, a in enumerate(artists)]
    genres = [factories.GenreFactory(name=f"Genre {n}") for n in range(3)]
    return [*catalog] + [
        factories.TrackFactory(
            artist=artists[n % 4],
            album=albums[n % 4] if n % 3 else None,
            genres=rng.sample(genres, rng.randint(0, 2)),
            duration=200.0,
        )
        for n in range(12)
    ]
