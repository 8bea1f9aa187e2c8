"""A real worker killed (SIGKILL) in the middle of an import: the sweep re-sends it and the
next worker finishes it from the last committed batch, with no listen lost or stored twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.history_import.models import HistoryImport
from core.history_import.services import imports_resume_stale
from core.library.models import ExternalListen
from tests.history_import import files
from tests.history_import.conftest import start_import
from tests.media_pipeline.worker_helpers import manage, run_batch_worker, wait_for, worker_env

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 60_000


def _history() -> bytes:
    return files.json_lines(
        [
            files.listenbrainz_listen(artist=f"Artist {i % 300}", title=f"T{i}", at=files.at(i))
            for i in range(ROWS)
        ]
    )


def _rows_done(job_id: int) -> int:
    return HistoryImport.objects.filter(pk=job_id).values_list("rows_done", flat=True).get()


def test_an_import_whose_worker_was_killed_resumes_without_duplicates(alice_client, tmp_path):
    env = worker_env(IMPORT_BATCH_ROWS="1000")
    response = start_import(alice_client, _history(), filename="listens.jsonl")
    assert response.status_code == 202
    job_id = response.json()["id"]
    log = tmp_path / "worker.log"

    worker = manage(
        "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1", env=env, log=log
    )
    try:
        wait_for(lambda: _rows_done(job_id) >= 3000, timeout=120, what="a few batches")
    finally:
        worker.kill()
        worker.wait()
    killed_at = _rows_done(job_id)
    assert 3000 <= killed_at < ROWS, log.read_text()
    assert ExternalListen.objects.count() == killed_at  # each batch whole, or not at all
    HistoryImport.objects.filter(pk=job_id).update(heartbeat_at=timezone.now() - timedelta(hours=1))

    assert imports_resume_stale() == [job_id]
    run_batch_worker(env, log, timeout=300)

    job = HistoryImport.objects.get(pk=job_id)
    assert (job.status, job.rows_done, job.imported, job.duplicates) == ("done", ROWS, ROWS, 0)
    assert ExternalListen.objects.count() == ROWS
