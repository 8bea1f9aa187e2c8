"""Background jobs: thin wrappers around the import run (core.history_import.run)."""

from django_tasks import task

from core.history_import import run


@task()
def import_history(import_id: int, token: str) -> str:
    """Import one uploaded history file for the run named by `token` (see HistoryImport)."""
    return run.import_run(import_id=import_id, token=token)
