"""What the API reads from the pipeline's results: artwork URLs, derived keys. (Stream sources:
tests/library/test_stream_contract.py.)"""

import pytest

from core.processing.models import TrackMedia
from core.processing.selectors import artwork_urls, derived_keys
from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed(audio_samples):
    track = stored_track(audio_samples["mp3"])
    process_now(track)
    track.refresh_from_db()
    return track


def test_artwork_urls_are_signed_per_size(processed):
    urls = artwork_urls(TrackMedia.objects.get(track=processed), expires_in=60)
    assert list(urls) == ["64", "256", "640"]
    assert all(url.startswith("http") for url in urls.values())
    assert len(set(urls.values())) == 3
    assert artwork_urls(None, expires_in=60) == {}


def test_derived_keys_list_variants_and_thumbnails(processed):
    keys = derived_keys([processed.pk])
    assert len(keys) == 5
    assert all(key.startswith(f"derived/tracks/{processed.pk}/") for key in keys)
