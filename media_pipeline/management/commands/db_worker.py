from django_tasks_db.management.commands import db_worker

from media_pipeline.db_outage import DATABASE_UNAVAILABLE, wait_for_database


class Command(db_worker.Command):
    """django-tasks' database worker, kept running through database outages: it waits for
    the database and starts polling again instead of exiting (docs/operations.md#workers)."""

    help = "Run a database background worker (it waits out database outages)."

    def handle(self, *args, **options) -> None:
        while True:
            try:
                return super().handle(*args, **options)
            except DATABASE_UNAVAILABLE as exc:
                # A job cut off by the outage keeps its state `running`: the stale-job sweep
                # sends it again once its heartbeat is stale.
                wait_for_database(exc, process="worker")
