"""The catalog version (migration 0044): it moves with every change a catalog payload shows,
and stands still through the counters that listening and following move."""

import pytest
from django.db import connection

from core.catalog.caching import catalog_version
from core.catalog.models import Album, Artist, Track
from core.processing.models import TrackMedia
from core.ratings import services as ratings
from tests import factories

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the version is a PostgreSQL sequence"
)


@pytest.fixture
def track(db):
    return factories.TrackFactory(genres=[factories.GenreFactory(name="Rock")])


def moves(change) -> bool:
    before = catalog_version()
    change()
    return catalog_version() != before


def test_edits_hides_and_deletes_move_it(track):
    assert moves(lambda: Track.objects.filter(pk=track.pk).update(title="Renamed"))
    assert moves(lambda: Track.objects.filter(pk=track.pk).update(is_hidden=True))
    assert moves(lambda: ratings.set_rating(user=factories.UserFactory(), item=track, stars=4))
    assert moves(lambda: Album.objects.filter(pk=track.album_id).update(is_hidden=True))
    assert moves(lambda: Artist.objects.filter(pk=track.artist_id).update(name="Someone"))
    assert moves(lambda: track.genres.add(factories.GenreFactory(name="Jazz")))
    assert moves(lambda: track.genres.clear())
    assert moves(lambda: factories.TrackFactory())
    assert moves(lambda: Track.objects.filter(pk=track.pk).delete())


def test_the_pipeline_an_uploaders_new_name_and_a_new_manager_move_it(track):
    media = TrackMedia.objects.get_or_create(track=track)[0]
    assert moves(lambda: TrackMedia.objects.filter(pk=media.pk).update(artwork={"64": "k"}))
    assert moves(lambda: factories.TrackVariantFactory(track=track))
    from core.artists.models import ArtistManager

    manager = factories.UserFactory()
    assert moves(lambda: ArtistManager.objects.create(user=manager, artist=track.artist))
    uploader = track.uploaded_by
    assert moves(lambda: type(uploader).objects.filter(pk=uploader.pk).update(username="newname"))


def test_counters_and_a_save_that_changes_nothing_leave_it(track):
    user = factories.UserFactory()
    assert not moves(lambda: Track.objects.filter(pk=track.pk).update(listen_count=7))
    assert not moves(lambda: Artist.objects.filter(pk=track.artist_id).update(follower_count=3))
    assert not moves(lambda: type(user).objects.filter(pk=user.pk).update(last_login=None))
    assert not moves(lambda: Track.objects.filter(pk=track.pk).update(title=track.title))
