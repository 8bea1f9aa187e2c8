"""The pipeline cuts a 30-second MP3 preview: of the loudest part, from where the uploader
chose, or from the start of a short track; `reprocess --only preview` re-cuts previews."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from core.catalog.services import track_delete
from core.processing.models import TrackMedia
from media_pipeline.storage import ObjectNotFound, get_storage
from tests.media_pipeline.audio_fixtures import (
    AudioSample,
    ffprobe_stream,
    process_now,
    stored_track,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def loud_middle(tmp_path_factory) -> AudioSample:
    """70 s of quiet tone, loud from 25 s to 55 s."""
    path = tmp_path_factory.mktemp("loud") / "loud-middle.flac"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
            "aevalsrc=0.04*sin(2*PI*440*t)*(1+20*between(t\\,25\\,55)):s=22050:d=70",
            "-c:a", "flac", str(path),
        ],
        check=True,
    )  # fmt: skip
    return AudioSample(path, "audio/flac", 70.0, "flac")


def stored_preview(track_id: int, tmp_path: Path) -> tuple[TrackMedia, dict]:
    media = TrackMedia.objects.get(pk=track_id)
    out = tmp_path / "preview.mp3"
    with out.open("wb") as f:
        get_storage().download_to_file(media.preview_key, f)
    return media, ffprobe_stream(out)


def test_a_long_track_previews_its_loudest_thirty_seconds(loud_middle, no_variants, tmp_path):
    track = stored_track(loud_middle)
    assert process_now(track) == "ready"
    media, facts = stored_preview(track.pk, tmp_path)
    assert media.preview_key == f"derived/tracks/{track.pk}/preview.mp3"
    assert abs(media.preview_offset - 25) <= 1
    assert facts["codec_name"] == "mp3"
    assert 29.5 <= float(facts["duration"]) <= 30.5
    assert 96_000 <= int(facts["bit_rate"]) <= 136_000


def test_the_uploaders_start_wins_and_is_kept_whole(loud_middle, no_variants, tmp_path):
    track = stored_track(loud_middle, preview_start=60)
    assert process_now(track) == "ready"
    media, facts = stored_preview(track.pk, tmp_path)
    assert media.preview_offset == 40  # 70 s long: 60 would leave 10 s
    assert 29.5 <= float(facts["duration"]) <= 30.5


def test_a_short_track_previews_from_its_start(audio_samples, no_variants, tmp_path):
    track = stored_track(audio_samples["flac"])
    assert process_now(track) == "ready"
    media, facts = stored_preview(track.pk, tmp_path)
    assert media.preview_offset == 0
    assert abs(float(facts["duration"]) - 5.0) < 0.3


def test_deleting_a_track_deletes_its_preview(
    audio_samples, no_variants, django_capture_on_commit_callbacks
):
    track = stored_track(audio_samples["flac"])
    process_now(track)
    key = TrackMedia.objects.get(pk=track.pk).preview_key
    assert get_storage().head(key).size > 0
    with django_capture_on_commit_callbacks(execute=True):
        track_delete(user=track.uploaded_by, track_id=track.pk)
    with pytest.raises(ObjectNotFound):
        get_storage().head(key)


def test_reprocess_only_preview_cuts_previews_for_tracks_without_one(
    audio_samples, no_variants, tmp_path
):
    track = stored_track(audio_samples["flac"])
    process_now(track)
    media = TrackMedia.objects.get(pk=track.pk)
    get_storage().delete(media.preview_key)
    TrackMedia.objects.filter(pk=track.pk).update(preview_key="", preview_offset=None)
    out, err = io.StringIO(), io.StringIO()
    call_command("reprocess", "--all", "--only", "preview", stdout=out, stderr=err)
    assert "1 track(s): 1 made" in out.getvalue()
    assert "Previews" in err.getvalue()  # the progress bar
    media, facts = stored_preview(track.pk, tmp_path)
    assert facts["codec_name"] == "mp3"
