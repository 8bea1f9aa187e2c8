"""Apply the counted listens that progress reports left for the rollups (INSIGHTS_ROLLUPS =
deferred), once or every N seconds."""

import time

from core.insights.services import PENDING_BATCH, insights_apply_pending
from core.management.periodic import PeriodicCommand, now_stamp


class Command(PeriodicCommand):
    help = (
        "Bring the listening insights rollups up to date with the listens counted since the "
        "last run (INSIGHTS_ROLLUPS=deferred). With --every, keep going; statistics lag by at "
        "most that long plus one run."
    )
    process_name = "listen rollups"
    every_help = "Apply again every SECONDS until stopped (default: drain once and exit)."

    def run_round(self) -> None:
        started, applied = time.monotonic(), 0
        while (batch := insights_apply_pending()) == PENDING_BATCH:
            applied += batch
        applied += batch
        took = time.monotonic() - started
        if applied or self.verbosity > 1:
            self.stdout.write(f"{now_stamp()} Applied {applied} listen(s) in {took:.1f} s")
