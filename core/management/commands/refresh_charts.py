"""Recompute the charts that requests serve (ChartSnapshot), once or every N seconds."""

import time

from django.conf import settings

from core.insights.charts import charts_refresh
from core.management.periodic import PeriodicCommand, now_stamp


class Command(PeriodicCommand):
    help = (
        "Recompute the charts of every period (all genres, and each genre someone asked for) "
        "into their snapshots. Run it with --every below CHARTS_CACHE_SECONDS so that requests "
        "never compute one themselves."
    )
    process_name = "chart refresh"
    every_help = "Refresh again every SECONDS until stopped (default: once and exit)."

    def before_rounds(self) -> None:
        if self.every >= settings.CHARTS_CACHE_SECONDS:
            self.stderr.write(
                f"--every {self.every} is not below CHARTS_CACHE_SECONDS "
                f"({settings.CHARTS_CACHE_SECONDS}): some requests will compute their chart."
            )

    def run_round(self) -> None:
        started = time.monotonic()
        count = charts_refresh()
        took = time.monotonic() - started
        if self.every or self.verbosity > 1:
            self.stdout.write(f"{now_stamp()} Refreshed {count} chart(s) in {took:.1f} s")
