import pytest
from django.utils import timezone

from core.catalog.models import TrackStatus
from core.processing.jobs import track_process_enqueue
from core.processing.models import JobState, ProcessingJob, TrackMedia, TrackVariant
from core.processing.run import track_process
from media_pipeline.storage import get_storage
from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = pytest.mark.django_db


def _derived_files(settings, track) -> list[str]:
    folder = settings.LOCAL_STORAGE_ROOT / "objects" / "derived" / "tracks" / str(track.pk)
    return sorted(p.name for p in folder.iterdir())


def test_processing_a_ready_track_again_rebuilds_the_same_outputs(audio_samples, settings):
    track = stored_track(audio_samples["flac"])
    process_now(track)
    first_variants = list(TrackVariant.objects.filter(track=track).values_list("quality", "key"))
    first_files = _derived_files(settings, track)

    assert process_now(track) == "ready"

    assert list(TrackVariant.objects.filter(track=track).values_list("quality", "key")) == (
        first_variants
    )
    assert (
        _derived_files(settings, track)
        == first_files
        == [
            "cover-256.jpg",
            "cover-64.jpg",
            "cover-640.jpg",
            "low.m4a",
            "normal.m4a",
            "preview.mp3",
        ]
    )
    assert TrackMedia.objects.filter(track=track).count() == 1
    assert ProcessingJob.objects.filter(track=track).count() == 1
    track.refresh_from_db()
    assert track.genres.count() == 1


@pytest.mark.usefixtures("no_variants")
def test_reprocessing_keeps_a_ready_track_playable_until_the_run_ends(audio_samples):
    track = stored_track(audio_samples["mp3"])
    process_now(track)

    job = track_process_enqueue(track_id=track.pk, send=False)

    track.refresh_from_db()
    assert track.status == TrackStatus.READY
    assert job.state == JobState.QUEUED
    assert job.attempts == 0


@pytest.mark.usefixtures("no_variants")
def test_reprocessing_a_failed_track_clears_its_reason(audio_samples):
    track = stored_track(audio_samples["text"])
    process_now(track)

    track_process_enqueue(track_id=track.pk, send=False)

    track.refresh_from_db()
    assert track.status == TrackStatus.PROCESSING
    assert track.failure_reason == ""


@pytest.mark.usefixtures("no_variants")
def test_a_replaced_run_does_nothing(audio_samples):
    track = stored_track(audio_samples["mp3"])
    old = track_process_enqueue(track_id=track.pk, send=False)
    old_token = str(old.token)
    track_process_enqueue(track_id=track.pk, send=False)

    assert track_process(track_id=track.pk, token=old_token) == "skipped"

    track.refresh_from_db()
    assert track.status == TrackStatus.PROCESSING
    assert not TrackVariant.objects.filter(track=track).exists()


@pytest.mark.usefixtures("no_variants")
def test_a_second_delivery_of_a_finished_run_does_nothing(audio_samples):
    track = stored_track(audio_samples["mp3"])
    job = track_process_enqueue(track_id=track.pk, send=False)
    assert track_process(track_id=track.pk, token=str(job.token)) == "ready"

    assert track_process(track_id=track.pk, token=str(job.token)) == "skipped"
    job.refresh_from_db()
    assert job.attempts == 1


@pytest.mark.usefixtures("no_variants")
def test_a_run_another_worker_holds_is_not_started_twice(audio_samples):
    track = stored_track(audio_samples["mp3"])
    job = track_process_enqueue(track_id=track.pk, send=False)
    ProcessingJob.objects.filter(pk=track.pk).update(
        state=JobState.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )

    assert track_process(track_id=track.pk, token=str(job.token)) == "skipped"


def test_a_variant_no_longer_configured_is_removed_with_its_object(
    audio_samples, settings, django_capture_on_commit_callbacks
):
    track = stored_track(audio_samples["mp3"])
    process_now(track)
    low = TrackVariant.objects.get(track=track, quality="low")
    settings.PIPELINE_VARIANTS = ["normal"]

    with django_capture_on_commit_callbacks(execute=True):
        assert process_now(track) == "ready"

    assert list(TrackVariant.objects.filter(track=track).values_list("quality", flat=True)) == [
        "normal"
    ]
    assert not get_storage().exists(low.key)
