"""manage.py seed_demo: demo tracks go through the media pipeline like any upload."""

import pytest
from django.core.management import call_command

from core.catalog.models import Track, TrackStatus
from core.processing.models import JobState, ProcessingJob, TrackMedia

pytestmark = pytest.mark.django_db


def test_demo_tracks_are_queued_and_become_ready_when_processed(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PIPELINE_VARIANTS = ["low"]

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)

    tracks = Track.objects.all()
    assert tracks.count() == 6
    assert set(tracks.values_list("status", flat=True)) == {TrackStatus.READY}
    a440 = tracks.get(title="A440")
    assert a440.duration == pytest.approx(40.0, abs=0.1)
    assert len(TrackMedia.objects.get(track=a440).waveform) == 1000
    assert a440.variants.get().quality == "low"


def test_running_it_again_creates_nothing_and_queues_nothing_new(capsys):
    call_command("seed_demo")
    jobs = dict(ProcessingJob.objects.values_list("pk", "token"))
    assert len(jobs) == 6
    assert set(ProcessingJob.objects.values_list("state", flat=True)) == {JobState.QUEUED}

    call_command("seed_demo")

    assert Track.objects.count() == 6
    assert dict(ProcessingJob.objects.values_list("pk", "token")) == jobs
    assert "Demo ready: 6 tracks" in capsys.readouterr().out
