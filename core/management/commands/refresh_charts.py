"""Recompute the charts that requests serve (ChartSnapshot), once or every N seconds."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.insights.charts import charts_refresh
from media_pipeline.db_outage import DATABASE_UNAVAILABLE, wait_for_database


class Command(BaseCommand):
    help = (
        "Recompute the charts of every period (all genres, and each genre someone asked for) "
        "into their snapshots. Run it with --every below CHARTS_CACHE_SECONDS so that requests "
        "never compute one themselves."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Refresh again every SECONDS until stopped (default: once and exit).",
        )

    def handle(self, *args, every: int, **options) -> None:
        if every < 0:
            raise CommandError("--every must be zero or more seconds")
        if every >= settings.CHARTS_CACHE_SECONDS:
            self.stderr.write(
                f"--every {every} is not below CHARTS_CACHE_SECONDS "
                f"({settings.CHARTS_CACHE_SECONDS}): some requests will compute their chart."
            )
        while True:
            started = time.monotonic()
            try:
                count = charts_refresh()
            except DATABASE_UNAVAILABLE as exc:
                if not every:
                    raise
                wait_for_database(exc, process="chart refresh")
                continue
            took = time.monotonic() - started
            if every or options["verbosity"] > 1:
                stamp = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
                self.stdout.write(f"{stamp} Refreshed {count} chart(s) in {took:.1f} s")
            if not every:
                return
            time.sleep(max(0.0, every - took))
