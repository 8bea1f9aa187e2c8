"""with_play_count(): a track's counted listens, for the catalog's payloads."""

import pytest

from core.catalog.models import Track
from core.library.selectors import with_play_count
from tests import factories

pytestmark = pytest.mark.django_db


def test_play_count_counts_only_counted_listens(alice, bob):
    track, unplayed = factories.TrackFactory(), factories.TrackFactory()
    factories.PlayFactory(user=alice, track=track, counted=True)
    factories.PlayFactory(user=bob, track=track, counted=True)
    factories.PlayFactory(user=bob, track=track, counted=False)

    counts = dict(with_play_count(Track.objects.all()).values_list("pk", "play_count"))

    assert counts == {track.pk: 2, unplayed.pk: 0}


def test_play_count_composes_with_the_listing_annotations(alice, django_assert_num_queries):
    genres = factories.GenreFactory.create_batch(2)
    track = factories.TrackFactory(genres=genres)
    factories.FavoriteFactory(user=alice, track=track)
    factories.PlayFactory(user=alice, track=track, counted=True)

    with django_assert_num_queries(2):
        (loaded,) = with_play_count(Track.objects.for_listing().with_favorite_flag(alice))
        assert len(loaded.genres.all()) == 2

    assert loaded.play_count == 1
    assert loaded.is_favorite is True
