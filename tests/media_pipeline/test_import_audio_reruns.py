"""`import_audio` run again and again: bad files fail once, then are reported as failed before;
what the run ignored is named; a damaged file fails before it is registered."""

import io

import pytest
from django.core.management.base import OutputWrapper

from core.catalog.models import Track
from core.management.commands.import_audio import BarProgress
from core.uploads.importer import FileResult, Outcome
from core.uploads.models import ImportFailure, Upload, UploadStatus
from tests.uploads.import_helpers import BAD, make_library
from tests.uploads.test_import_audio import run_import

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def library(tmp_path, audio_samples):
    return make_library(tmp_path / "library", audio_samples)


def _import(library, *extra: str):
    return run_import(str(library), "--uploader", "uploader", "--no-progress", *extra)


def test_a_rerun_reports_the_same_bad_files_as_failed_before_and_succeeds(library, uploader):
    _, _, first = _import(library)

    out, err, again = _import(library)

    assert first is not None
    assert again is None
    assert "0 imported, 6 skipped, 0 failed, 2 failed before" in out
    for relative in BAD:
        assert f"  {relative}: " in out and "failed before, as" in out
    assert "failed  " not in err


def test_a_new_bad_file_still_fails_the_rerun(library, uploader, audio_samples):
    _import(library)
    (library / "new junk.mp3").write_text("not music either, but different words\n" * 30)

    out, err, error = _import(library)

    assert "1 failed, 2 failed before" in out
    assert "failed  new junk.mp3: not an audio file" in err
    assert error is not None and "1 file(s) could not be imported" in str(error)


def test_retry_failed_tries_the_bad_files_again(library, uploader):
    _import(library)

    out, _, error = _import(library, "--retry-failed")

    assert "2 failed" in out and "failed before" not in out
    assert error is not None


def test_a_fixed_file_imports_and_forgets_its_failure(library, uploader, audio_samples):
    _import(library)
    (library / "Broken/broken.flac").write_bytes(audio_samples["flac"].path.read_bytes() + b"\0")

    out, _, _ = _import(library)

    assert "1 imported" in out
    assert ImportFailure.objects.count() == 2  # the old bytes' failure, the shopping list's


def test_a_dry_run_remembers_no_failure(library, uploader):
    _import(library, "--dry-run")

    assert not ImportFailure.objects.exists()


def test_a_corrupt_mp3_fails_with_its_reason_before_it_is_registered(
    tmp_path, audio_samples, uploader
):
    folder = tmp_path / "damaged"
    folder.mkdir()
    mp3 = audio_samples["mp3"].path.read_bytes()
    # Its header and first frames hold, the rest is noise: tag readers accept it.
    (folder / "damaged.mp3").write_bytes(mp3[: len(mp3) // 10] + bytes(range(256)) * 200)

    out, err, error = _import(folder)

    assert "0 imported, 0 skipped, 1 failed" in out
    assert "failed  damaged.mp3: File is truncated or corrupt" in err
    assert error is not None
    assert not Track.objects.exists()
    assert not Upload.objects.exclude(status=UploadStatus.DISCARDED).exists()


def test_ignored_files_are_named(library, uploader):
    out, _, _ = _import(library)

    assert "2 other file(s) ignored" in out
    listed = out[out.index("Ignored:") :]
    assert "  notes.txt" in listed
    assert "  The Sine Waves/Test Tones/cover.jpg" in listed


def test_many_ignored_files_are_named_up_to_ten_unless_verbose(tmp_path, uploader):
    folder = tmp_path / "scans"
    folder.mkdir()
    for n in range(14):
        (folder / f"scan{n:02}.jpg").write_bytes(b"\xff\xd8")

    out, _, _ = _import(folder)
    verbose, _, _ = _import(folder, "-v", "2")

    assert "  scan09.jpg" in out and "  scan10.jpg" not in out
    assert "… and 4 more (-v 2 lists them all)" in out
    assert "  scan13.jpg" in verbose and "more (-v 2" not in verbose


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_not_written_in_the_error_style():
    terminal = _Terminal()
    stderr = OutputWrapper(terminal)
    stderr.style_func = lambda text: f"<error>{text}</error>"  # what a terminal shows in red
    progress = BarProgress(files=1, total_bytes=100, stream=stderr, enabled=True)

    progress.bytes_read("a.mp3", 100)
    progress.file_done(FileResult("a.mp3", 100, Outcome.IMPORTED, track_id=1))
    progress.close()

    assert "Importing" in terminal.getvalue()
    assert "<error>" not in terminal.getvalue()


def test_deleting_a_remembered_failure_in_the_admin_lets_the_next_run_try_again(
    library, uploader, client
):
    from tests import factories

    _import(library)
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    failure = ImportFailure.objects.get(path="shopping list.mp3")

    listing = client.get("/admin/core/importfailure/")
    client.post(f"/admin/core/importfailure/{failure.pk}/delete/", {"post": "yes"})
    out, _, _ = _import(library)

    assert "shopping list.mp3" in listing.content.decode()
    assert "1 failed, 1 failed before" in out
