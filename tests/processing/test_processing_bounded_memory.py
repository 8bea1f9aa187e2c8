import tracemalloc

import pytest

from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_variants")]


def test_a_large_file_is_never_held_in_memory(long_flac):
    size = long_flac.path.stat().st_size
    track = stored_track(long_flac)

    tracemalloc.start()
    try:
        assert process_now(track) == "ready"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert size > 10 * 1024**2
    assert peak < size / 5, f"peak {peak} bytes for a {size}-byte file"
