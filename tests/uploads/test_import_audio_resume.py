"""`manage.py import_audio` stopped with Ctrl-C: what ran is kept, a re-run imports the rest."""

import io

import pytest
from django.core.management import CommandError, call_command

from core.catalog.models import Track
from core.management.commands import import_audio
from core.uploads.models import ImportedFile, ImportFailure
from tests.uploads.import_helpers import GOOD, make_library

pytestmark = pytest.mark.django_db(transaction=True)


def interrupt_after(monkeypatch, files: int) -> None:
    """Ctrl-C in the main thread once `files` files have finished."""
    original = import_audio.BarProgress.file_done
    seen = []

    def file_done(self, result):
        original(self, result)
        seen.append(result)
        if len(seen) == files:
            raise KeyboardInterrupt

    monkeypatch.setattr(import_audio.BarProgress, "file_done", file_done)


def test_an_interrupted_import_keeps_what_finished_and_a_rerun_completes_it(
    tmp_path, audio_samples, uploader, monkeypatch
):
    library = make_library(tmp_path / "library", audio_samples)
    interrupt_after(monkeypatch, 2)
    out = io.StringIO()

    with pytest.raises(CommandError, match="not started") as stopped:
        call_command(
            "import_audio", str(library), "--uploader", "uploader", "--workers", "2",
            stdout=out, stderr=io.StringIO(),
        )  # fmt: skip

    assert stopped.value.returncode == 130
    assert "not started" in out.getvalue()
    first = Track.objects.count()
    # The two finished files, plus those the two workers were busy with when stopped.
    assert 1 <= first <= 4
    assert ImportedFile.objects.count() == first

    monkeypatch.undo()
    out = io.StringIO()
    # Bad files the first run got to are reported as failed before, and fail the run no more.
    failed_first = ImportFailure.objects.count()
    error = None
    try:
        call_command(
            "import_audio", str(library), "--uploader", "uploader", "--workers", "2",
            stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
    except CommandError as exc:
        error = exc

    if failed_first < 2:
        assert error is not None and f"{2 - failed_first} file(s)" in str(error)
    else:
        assert error is None
    assert (
        f"{len(GOOD) - first} imported, {first} skipped, {2 - failed_first} failed"
        in out.getvalue()
    )
    assert Track.objects.count() == len(GOOD)
    assert ImportedFile.objects.count() == len(GOOD)
