"""`manage.py import_audio`: a folder of real audio files becomes tracks, bad files are reported."""

import io

import pytest
from django.core.management import CommandError, call_command

from core.catalog.models import Track, TrackStatus
from core.processing.models import JobState, ProcessingJob
from core.uploads.models import ImportedFile, Upload, UploadStatus
from media_pipeline.storage import get_storage
from tests import factories
from tests.uploads.import_helpers import BAD, GOOD, make_library, sha256_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def library(tmp_path, audio_samples):
    return make_library(tmp_path / "library", audio_samples)


def run_import(*args: str) -> tuple[str, str, CommandError | None]:
    """Run the command; returns its stdout, its stderr and the CommandError it ended with."""
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("import_audio", *args, stdout=out, stderr=err)
    except CommandError as exc:
        error = exc
    return out.getvalue(), err.getvalue(), error


def test_a_folder_imports_every_good_file_with_its_tags_and_reports_the_bad_ones(library, uploader):
    out, err, error = run_import(str(library), "--uploader", "uploader", "--workers", "2")

    assert "6 imported, 0 skipped, 2 failed" in out
    assert "2 other file(s) ignored" in out  # cover.jpg and notes.txt; .DS_Store is hidden
    for relative, why in BAD.items():
        assert f"failed  {relative}: {why}" in err
    assert error is not None and "2 file(s) could not be imported" in str(error)

    assert Track.objects.count() == 6
    # Registered like API uploads: each one waits for the processing workers.
    assert set(Track.objects.values_list("status", flat=True)) == {TrackStatus.PROCESSING}
    assert ProcessingJob.objects.filter(state=JobState.QUEUED).count() == 6
    flac = Track.objects.select_related("artist", "album").get(title="Tone in FLAC")
    assert flac.artist.name == "The Sine Waves"
    assert flac.album.title == "Test Tones"
    assert (flac.track_number, flac.year) == (3, 2019)
    assert [genre.name for genre in flac.genres.all()] == ["Ambient"]
    assert flac.uploaded_by == uploader
    assert flac.content_type == "audio/flac"
    assert flac.checksum_sha256 == sha256_of(library / GOOD[0])
    assert get_storage().head(flac.storage_key).size == (library / GOOD[0]).stat().st_size
    assert set(Track.objects.values_list("title", flat=True)) == {
        "Tone in FLAC",
        "Tone in MP3",
        "Tone in Opus",
        "Tone in AAC",
        "Tone in WAV",
        "Untitled Hum",  # its "07 - " became the track number
    }


def test_an_untagged_file_gets_placeholders_and_its_number_from_its_name(library, uploader):
    run_import(str(library), "--uploader", "uploader", "--workers", "2")

    hum = Track.objects.select_related("artist").get(title="Untitled Hum")
    assert hum.track_number == 7
    assert hum.artist.name == "Unknown artist"
    assert hum.album is None
    # Processing may still replace them from tags; what the tags gave is never a placeholder.
    assert sorted(hum.placeholder_fields) == ["artist", "title"]
    assert Track.objects.get(title="Tone in FLAC").placeholder_fields == []


def test_the_type_is_sniffed_from_the_bytes_not_the_name(library, uploader, audio_samples):
    (library / "misnamed.mp3").write_bytes(audio_samples["wav"].path.read_bytes() + b"\0")

    run_import(str(library), "--uploader", "uploader")

    assert Track.objects.get(storage_key__endswith=".wav", upload__filename="misnamed.mp3")


def test_a_second_run_imports_nothing_and_skips_every_imported_file(library, uploader):
    run_import(str(library), "--uploader", "uploader", "--workers", "2")

    out, _, error = run_import(str(library), "--uploader", "uploader", "--workers", "2", "-v", "2")

    assert "0 imported, 6 skipped, 0 failed, 2 failed before" in out
    assert error is None
    assert f"skipped {GOOD[0]}: imported before from {GOOD[0]} as track" in out
    assert Track.objects.count() == 6
    assert ImportedFile.objects.count() == 6
    assert Upload.objects.count() == 6


def test_a_file_already_uploaded_through_the_api_is_skipped(library, uploader):
    existing = factories.TrackFactory(checksum_sha256=sha256_of(library / GOOD[3]))

    out, _, _ = run_import(str(library), "--uploader", "uploader", "-v", "2")

    assert "5 imported, 1 skipped" in out
    assert f"skipped {GOOD[3]}: already in the catalog as track {existing.pk}" in out


def test_identical_files_in_two_places_make_one_track(tmp_path, audio_samples, uploader):
    for folder in ("a", "b", "c"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "tone.flac").write_bytes(audio_samples["flac"].path.read_bytes())

    out, _, error = run_import(str(tmp_path), "--uploader", "uploader", "--workers", "3")

    assert error is None
    assert "1 imported, 2 skipped, 0 failed" in out
    assert Track.objects.count() == 1
    # The copies that lost the race gave their slot and object back.
    assert Upload.objects.filter(status=UploadStatus.REGISTERED).count() == 1
    for upload in Upload.objects.exclude(status=UploadStatus.REGISTERED):
        assert upload.status == UploadStatus.DISCARDED
        assert not get_storage().exists(upload.key)


def test_a_track_deleted_after_its_import_is_not_imported_again(library, uploader):
    run_import(str(library), "--uploader", "uploader")
    Track.objects.get(title="Tone in MP3").delete()

    out, _, _ = run_import(str(library), "--uploader", "uploader", "-v", "2")

    assert "0 imported, 6 skipped" in out
    assert f"skipped {GOOD[1]}: imported before from {GOOD[1]}; its track was deleted" in out
    assert not Track.objects.filter(title="Tone in MP3").exists()


def test_a_dry_run_says_what_would_be_imported_and_changes_nothing(library, uploader):
    out, err, _ = run_import(str(library), "--uploader", "uploader", "--dry-run")

    assert out.startswith("Dry run: 6 to import, 0 skipped, 2 failed")
    assert "failed  Broken/broken.flac: corrupt audio" in err
    assert not Upload.objects.exists()
    assert not Track.objects.exists()


def test_a_large_file_is_stored_whole_and_leaves_no_open_multipart_upload(
    library, uploader, settings
):
    settings.UPLOAD_MULTIPART_THRESHOLD = 10_000  # every sample is larger

    _, _, error = run_import(str(library), "--uploader", "uploader", "--workers", "2")

    assert "2 file(s)" in str(error)
    assert Upload.objects.exclude(multipart_id="").count() == 6
    assert get_storage().list_multipart_uploads("audio/") == []
    for track in Track.objects.all():
        assert get_storage().head(track.storage_key).size == track.size


def test_the_progress_bar_counts_files_and_bytes(library, uploader):
    _, err, _ = run_import(str(library), "--uploader", "uploader", "--workers", "2")

    assert "Importing: 100%" in err
    assert "8/8 files, 2 failed" in err
    assert "B/s" in err


def test_without_an_uploader_the_first_superuser_imports(library, db):
    admin = factories.UserFactory(username="admin", is_superuser=True, is_staff=True)

    run_import(str(library), "--no-progress")

    assert set(Track.objects.values_list("uploaded_by", flat=True)) == {admin.pk}


def test_a_listener_may_not_import(library, alice):
    _, _, error = run_import(str(library), "--uploader", "alice")

    assert "alice may not upload tracks" in str(error)
    assert not Upload.objects.exists()


def test_no_superuser_and_no_uploader_named_is_refused(library, alice):
    _, _, error = run_import(str(library))

    assert "name the uploader with --uploader" in str(error)


def test_an_unknown_uploader_or_a_missing_folder_is_refused(tmp_path, uploader):
    assert "No user named 'nobody'" in str(run_import(str(tmp_path), "--uploader", "nobody")[2])
    missing = tmp_path / "missing"
    assert "is not a folder" in str(run_import(str(missing), "--uploader", "uploader")[2])


def test_an_unreachable_store_stops_the_import_before_any_file(library, uploader, settings):
    settings.STORAGE_BACKEND = "s3"
    settings.AWS_S3_ENDPOINT_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_ACCESS_KEY_ID = settings.AWS_SECRET_ACCESS_KEY = "testing"
    settings.AWS_S3_MAX_ATTEMPTS = 1
    get_storage.cache_clear()

    _, _, error = run_import(str(library), "--uploader", "uploader")

    assert "Object storage is unavailable" in str(error)
    assert not Upload.objects.exists()


def test_control_characters_in_tags_are_dropped(tmp_path, audio_samples, uploader):
    from mutagen.flac import FLAC

    (tmp_path / "tone.flac").write_bytes(audio_samples["flac"].path.read_bytes())
    tags = FLAC(tmp_path / "tone.flac")
    tags["title"] = "Padded\x00 title\x00\x00"
    tags["genre"] = ["Ambient", "\x00"]
    tags.save()

    _, _, error = run_import(str(tmp_path), "--uploader", "uploader")

    assert error is None
    track = Track.objects.get()
    assert track.title == "Padded title"
    assert [genre.name for genre in track.genres.all()] == ["Ambient"]
