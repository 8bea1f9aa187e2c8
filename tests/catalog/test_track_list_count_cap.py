"""The track list counts at most a cap of rows, so a large catalog is not scanned per page."""

import pytest
from django.urls import reverse

from core.api.pagination import CappedCountPageNumberPagination, CappedCountPaginator
from tests import factories


@pytest.fixture
def five_tracks(db):
    return factories.TrackFactory.create_batch(5)


def test_count_is_exact_below_the_cap(api_client, five_tracks):
    body = api_client.get(reverse("track-list")).json()

    assert body["count"] == 5
    assert body["count_exact"] is True


def test_count_stops_at_the_cap_and_says_so(api_client, five_tracks, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "count_cap", 3)

    body = api_client.get(reverse("track-list"), {"page_size": 2}).json()

    assert body["count"] == 3
    assert body["count_exact"] is False
    assert len(body["results"]) == 2
    assert body["next"] is not None


@pytest.mark.parametrize("narrowing", [{"search": "blue"}, {"year_min": "1990"}])
def test_a_searched_or_filtered_list_counts_to_a_lower_cap(api_client, db, monkeypatch, narrowing):
    monkeypatch.setattr(CappedCountPageNumberPagination, "narrowed_count_cap", 2)
    factories.TrackFactory.create_batch(4, title="Blue", year=1999)

    narrowed = api_client.get(reverse("track-list"), {**narrowing, "page_size": 1}).json()
    listed = api_client.get(reverse("track-list"), {"page_size": 1, "ordering": "title"}).json()

    assert (narrowed["count"], narrowed["count_exact"]) == (2, False)
    assert narrowed["next"] is not None
    assert (listed["count"], listed["count_exact"]) == (4, True)


def test_search_finds_tracks_by_artist_or_album_as_well_as_title(api_client, db):
    by_title = factories.TrackFactory(title="Blue Monday")
    by_artist = factories.TrackFactory(artist=factories.ArtistFactory(name="Bluegrass Band"))
    by_album = factories.TrackFactory(album=factories.AlbumFactory(title="Kind of Blue"))
    factories.TrackFactory(title="Red", artist=factories.ArtistFactory(name="Other"))

    body = api_client.get(reverse("track-list"), {"search": "BLUE"}).json()

    assert {track["id"] for track in body["results"]} == {by_title.pk, by_artist.pk, by_album.pk}
