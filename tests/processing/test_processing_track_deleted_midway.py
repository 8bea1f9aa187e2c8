import pytest

from core.catalog.models import Track
from core.processing import run as processing
from core.processing.models import ProcessingJob
from media_pipeline.storage import get_storage
from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = pytest.mark.django_db


def test_outputs_of_a_track_deleted_during_processing_are_removed(audio_samples, monkeypatch):
    track = stored_track(audio_samples["flac"])
    stored_keys = []
    real_run = processing._run

    def run_then_delete(track, workdir):
        outcome = real_run(track, workdir)
        stored_keys.extend([key for _, key in outcome.variants])
        stored_keys.extend(outcome.artwork_keys.values())
        Track.objects.filter(pk=track.pk).delete()
        return outcome

    monkeypatch.setattr(processing, "_run", run_then_delete)

    assert process_now(track) == "skipped"

    assert len(stored_keys) == 5
    assert not any(get_storage().exists(key) for key in stored_keys)
    assert not ProcessingJob.objects.exists()
