"""What the API reads from the pipeline's results: stream sources, artwork URLs, derived keys."""

import pytest

from core.catalog.models import Track
from core.processing.models import TrackMedia
from core.processing.selectors import artwork_urls, derived_keys, stream_source
from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed(audio_samples):
    track = stored_track(audio_samples["mp3"])
    process_now(track)
    track.refresh_from_db()
    return track


def test_a_quality_with_a_variant_streams_that_variant(processed):
    source = stream_source(processed, "low")
    assert source.quality == "low"
    assert source.key == processed.variants.get(quality="low").key
    assert source.content_type == "audio/mp4"


def test_a_missing_variant_falls_back_to_the_original(audio_samples):
    track = stored_track(audio_samples["mp3"])
    source = stream_source(track, "normal")
    assert (source.quality, source.key) == ("original", track.storage_key)
    assert source.content_type == "audio/mpeg"


def test_prefetched_variants_cost_no_query(processed, django_assert_num_queries):
    track = Track.objects.prefetch_related("variants").get(pk=processed.pk)
    with django_assert_num_queries(0):
        assert stream_source(track, "normal").quality == "normal"
        assert stream_source(track, "original").key == track.storage_key


def test_artwork_urls_are_signed_per_size(processed):
    urls = artwork_urls(TrackMedia.objects.get(track=processed), expires_in=60)
    assert list(urls) == ["64", "256", "640"]
    assert all(url.startswith("http") for url in urls.values())
    assert len(set(urls.values())) == 3
    assert artwork_urls(None, expires_in=60) == {}


def test_derived_keys_list_variants_thumbnails_and_the_preview(processed):
    keys = derived_keys([processed.pk])
    assert len(keys) == 6
    assert all(key.startswith(f"derived/tracks/{processed.pk}/") for key in keys)
