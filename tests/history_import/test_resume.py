"""A worker that dies mid-import: the sweep re-sends it, and the new run resumes from the
last committed batch without duplicates; the dead run may no longer write."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from core.history_import import run as import_run_module
from core.history_import.models import HistoryImport
from core.history_import.run import import_run
from core.history_import.services import imports_resume_stale
from core.library.models import ExternalListen
from tests.history_import import files
from tests.history_import.conftest import run, start_import

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """Stands for the process dying: nothing after it runs, nothing catches it."""


def _history(rows: int) -> bytes:
    return files.json_lines(
        [
            files.listenbrainz_listen(artist="Ada", title=f"T{i}", at=files.at(i))
            for i in range(rows)
        ]
    )


def _die_after(batches: int):
    real = import_run_module._commit
    calls = {"n": 0}

    def commit(*args, **kwargs):
        if calls["n"] == batches:
            raise WorkerKilled
        calls["n"] += 1
        return real(*args, **kwargs)

    return mock.patch.object(import_run_module, "_commit", commit)


def _age(job_id: int, seconds: int) -> None:
    HistoryImport.objects.filter(pk=job_id).update(
        heartbeat_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_a_killed_import_resumes_from_its_last_batch_without_duplicates(alice_client, settings):
    settings.IMPORT_BATCH_ROWS = 3
    settings.IMPORT_STALE_AFTER_SECONDS = 60
    job_id = start_import(alice_client, _history(10), filename="l.jsonl").json()["id"]
    with _die_after(2), pytest.raises(WorkerKilled):
        run(job_id)
    crashed = HistoryImport.objects.get(pk=job_id)
    assert (crashed.status, crashed.rows_done, crashed.imported) == ("running", 6, 6)

    _age(job_id, 61)
    assert imports_resume_stale() == [job_id]
    job = run(job_id)

    assert (job.status, job.rows_done, job.imported, job.duplicates) == ("done", 10, 10, 0)
    assert ExternalListen.objects.count() == 10


def test_a_live_import_is_not_resent(alice_client, settings):
    settings.IMPORT_STALE_AFTER_SECONDS = 60
    job_id = start_import(alice_client, _history(2), filename="l.jsonl").json()["id"]

    assert imports_resume_stale() == []
    assert run(job_id).status == "done"


def test_the_dead_run_cannot_write_once_its_import_was_resent(alice_client, settings):
    settings.IMPORT_BATCH_ROWS = 3
    settings.IMPORT_STALE_AFTER_SECONDS = 60
    job_id = start_import(alice_client, _history(10), filename="l.jsonl").json()["id"]
    old_token = str(HistoryImport.objects.get(pk=job_id).token)
    _age(job_id, 61)
    imports_resume_stale()

    assert import_run(import_id=job_id, token=old_token) == "superseded"
    assert ExternalListen.objects.count() == 0
    assert run(job_id).imported == 10


def test_a_finished_import_is_not_run_again(alice_client):
    job_id = start_import(alice_client, _history(2), filename="l.jsonl").json()["id"]
    job = run(job_id)

    assert import_run(import_id=job_id, token=str(job.token)) == "superseded"
    assert ExternalListen.objects.count() == 2
