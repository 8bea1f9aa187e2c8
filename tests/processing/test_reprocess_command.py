import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from core.catalog.models import TrackStatus
from core.processing.models import JobState, ProcessingJob
from tests.media_pipeline.audio_fixtures import stored_track

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_variants")]


@pytest.fixture
def tracks(audio_samples):
    return {
        "ready": stored_track(audio_samples["mp3"], status=TrackStatus.READY),
        "failed": stored_track(audio_samples["flac"], status=TrackStatus.FAILED),
        "other_failed": stored_track(audio_samples["wav"], status=TrackStatus.FAILED),
    }


def test_status_filter_queues_only_those_tracks(tracks, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reprocess", "--status", "failed")

    queued = {
        args["args"][0] for args in DBTaskResult.objects.values_list("args_kwargs", flat=True)
    }
    assert queued == {tracks["failed"].pk, tracks["other_failed"].pk}
    out = capsys.readouterr()
    assert "2 track(s): 2 queued" in out.out
    assert "Queueing" in out.err  # the progress bar


def test_ids_with_sync_process_in_the_command_itself(tracks, capsys):
    call_command("reprocess", str(tracks["failed"].pk), "--sync")

    tracks["failed"].refresh_from_db()
    assert tracks["failed"].status == TrackStatus.READY
    assert ProcessingJob.objects.get(pk=tracks["failed"].pk).state == JobState.DONE
    assert not DBTaskResult.objects.exists()
    assert "1 track(s): 1 ready" in capsys.readouterr().out


def test_all_queues_every_track(tracks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reprocess", "--all", verbosity=0)
    assert DBTaskResult.objects.count() == 3


def test_a_selection_is_required(tracks):
    with pytest.raises(CommandError, match="exactly one"):
        call_command("reprocess")
    with pytest.raises(CommandError, match="exactly one"):
        call_command("reprocess", "--all", "--status", "failed")


def test_unknown_ids_are_named(tracks):
    with pytest.raises(CommandError, match="No track with id 999999"):
        call_command("reprocess", str(tracks["ready"].pk), "999999")
