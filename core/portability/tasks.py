"""Background jobs: thin wrappers around the export run (core.portability.services)."""

from django_tasks import task

from core.portability import services


@task()
def export_account(export_id: int, token: str) -> str:
    """Write one export's zip for the run named by `token` (see DataExport)."""
    return services.export_run(export_id=export_id, token=token)
