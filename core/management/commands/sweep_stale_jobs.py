from django.conf import settings

from core.history_import.services import imports_resume_stale
from core.management.periodic import PeriodicCommand, now_stamp
from core.processing.jobs import processing_sweep_stale


class Command(PeriodicCommand):
    help = (
        "Re-send processing jobs whose worker stopped mid-run (no heartbeat for "
        "PIPELINE_STALE_AFTER_SECONDS) or whose queued task was lost, and history imports "
        "silent for IMPORT_STALE_AFTER_SECONDS (they resume from their last committed batch). "
        "Run it beside the workers, "
        "with --every to keep it going (it then waits out database outages)."
    )
    process_name = "stale-job sweep"
    every_help = "Sweep again every SECONDS until stopped (default: sweep once and exit)."

    def before_rounds(self) -> None:
        if self.every:
            # Kept running beside the workers, it says it is alive and what each sweep did, so
            # its log shows the sweeps ran; once from cron, it speaks only when it re-sent jobs.
            self.stdout.write(
                f"{now_stamp()} Sweeping every {self.every} s for jobs without a heartbeat for "
                f"{settings.PIPELINE_STALE_AFTER_SECONDS} s"
            )

    def run_round(self) -> None:
        swept = processing_sweep_stale()
        imports = imports_resume_stale()
        prefix = f"{now_stamp()} " if self.every else ""
        if swept or self.every or self.verbosity > 1:
            ids = ", ".join(map(str, swept)) or "none"
            self.stdout.write(f"{prefix}Re-sent {len(swept)} stale job(s): {ids}")
        if imports:
            ids = ", ".join(map(str, imports))
            self.stdout.write(f"{prefix}Resumed {len(imports)} stale import(s): {ids}")
