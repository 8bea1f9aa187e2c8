"""Artists, albums and genres are created once, whatever the case or a concurrent insert."""

import pytest
from django.db import models, transaction

from core.catalog.models import Album, Artist, Genre
from core.catalog.services import album_get_or_create, artist_get_or_create, genre_get_or_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_race(monkeypatch):
    """The first lookup misses, as if a concurrent request inserted the row right after it."""
    original = models.QuerySet.first
    calls = {"n": 0}

    def first(queryset):
        calls["n"] += 1
        return None if calls["n"] == 1 else original(queryset)

    monkeypatch.setattr(models.QuerySet, "first", first)


def test_artist_lookup_ignores_case_and_whitespace():
    existing = factories.ArtistFactory(name="Portishead")

    assert artist_get_or_create(name="  PORTISHEAD ") == existing
    assert Artist.objects.count() == 1


def test_an_artist_inserted_concurrently_is_reused(lost_race):
    existing = Artist.objects.create(name="Sade")

    with transaction.atomic():
        found = artist_get_or_create(name="sade")
        # The transaction is still usable after the constraint refused the duplicate.
        assert Artist.objects.count() == 1

    assert found == existing


def test_a_genre_inserted_concurrently_is_reused(lost_race):
    existing = Genre.objects.create(name="Dub")

    assert genre_get_or_create(name="DUB") == existing
    assert Genre.objects.count() == 1


def test_an_album_inserted_concurrently_is_reused(lost_race):
    artist = Artist.objects.create(name="Can")
    existing = Album.objects.create(artist=artist, title="Tago Mago")

    assert album_get_or_create(artist=artist, title="tago mago") == existing
    assert Album.objects.count() == 1


def test_albums_of_the_same_title_under_different_artists_are_distinct():
    first = album_get_or_create(artist=factories.ArtistFactory(), title="Greatest Hits")
    second = album_get_or_create(artist=factories.ArtistFactory(), title="Greatest Hits")

    assert first != second
