"""Where lyrics come from: the file's tags at processing, an .lrc file beside it at import."""

import io
import shutil

import pytest
from django.core.management import call_command

from core.catalog.models import Track
from core.lyrics.models import TrackLyrics
from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = pytest.mark.django_db


def import_folder(folder, uploader) -> None:
    args = [str(folder), "--uploader", uploader.username, "--no-progress"]
    call_command("import_audio", *args, stdout=io.StringIO())


def test_processing_takes_synced_lyrics_from_the_tags(audio_samples, no_variants, api_client):
    track = stored_track(audio_samples["mp3"])
    assert process_now(track) == "ready"
    lyrics = api_client.get(f"/api/tracks/{track.pk}/lyrics/").json()
    assert lyrics["source"] == "tags"
    assert lyrics["plain"] == "First line of the song\nSecond line of the song"
    assert [line["time_ms"] for line in lyrics["synced"]] == [500, 2250]


@pytest.mark.django_db(transaction=True)
def test_import_audio_takes_an_lrc_file_beside_the_audio(tmp_path, audio_samples, uploader):
    folder = tmp_path / "library"
    folder.mkdir()
    shutil.copy(audio_samples["wav"].path, folder / "song.wav")
    (folder / "song.lrc").write_text("[ar:Someone]\n[00:00.40]Hello\n[00:01.20]Again\n")
    import_folder(folder, uploader)
    track = Track.objects.get()
    lyrics = TrackLyrics.objects.get(track=track)
    assert (lyrics.source, lyrics.plain) == ("lrc", "Hello\nAgain")
    assert lyrics.synced == [{"time_ms": 400, "text": "Hello"}, {"time_ms": 1200, "text": "Again"}]


@pytest.mark.django_db(transaction=True)
def test_a_broken_lrc_file_is_ignored_and_the_audio_still_imports(
    tmp_path, audio_samples, uploader
):
    folder = tmp_path / "library"
    folder.mkdir()
    shutil.copy(audio_samples["wav"].path, folder / "song.wav")
    (folder / "song.lrc").write_text("not lyrics at all")
    import_folder(folder, uploader)
    assert Track.objects.count() == 1
    assert not TrackLyrics.objects.exists()
