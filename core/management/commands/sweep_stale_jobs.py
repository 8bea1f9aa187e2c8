import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.history_import.services import imports_resume_stale
from core.processing.jobs import processing_sweep_stale
from media_pipeline.db_outage import DATABASE_UNAVAILABLE, wait_for_database


class Command(BaseCommand):
    help = (
        "Re-send processing jobs whose worker stopped mid-run (no heartbeat for "
        "PIPELINE_STALE_AFTER_SECONDS) or whose queued task was lost, and history imports "
        "silent for IMPORT_STALE_AFTER_SECONDS (they resume from their last committed batch). "
        "Run it beside the workers, "
        "with --every to keep it going (it then waits out database outages)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Sweep again every SECONDS until stopped (default: sweep once and exit).",
        )

    def handle(self, *args, every: int, **options) -> None:
        if every < 0:
            raise CommandError("--every must be zero or more seconds")
        if every:
            # Kept running beside the workers, it says it is alive and what each sweep did, so
            # its log shows the sweeps ran; once from cron, it speaks only when it re-sent jobs.
            self.stdout.write(
                f"{_now()} Sweeping every {every} s for jobs without a heartbeat for "
                f"{settings.PIPELINE_STALE_AFTER_SECONDS} s"
            )
        while True:
            try:
                swept = processing_sweep_stale()
                imports = imports_resume_stale()
            except DATABASE_UNAVAILABLE as exc:
                if not every:
                    raise
                wait_for_database(exc, process="stale-job sweep")
                continue
            if swept or every or options["verbosity"] > 1:
                ids = ", ".join(map(str, swept)) or "none"
                prefix = f"{_now()} " if every else ""
                self.stdout.write(f"{prefix}Re-sent {len(swept)} stale job(s): {ids}")
            if imports:
                ids = ", ".join(map(str, imports))
                prefix = f"{_now()} " if every else ""
                self.stdout.write(f"{prefix}Resumed {len(imports)} stale import(s): {ids}")
            if not every:
                return
            time.sleep(every)


def _now() -> str:
    return timezone.now().strftime("%Y-%m-%d %H:%M:%S")
