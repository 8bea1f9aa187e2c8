"""Apply the counted listens that progress reports left for the rollups (INSIGHTS_ROLLUPS =
deferred), once or every N seconds."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.insights.services import PENDING_BATCH, insights_apply_pending
from media_pipeline.db_outage import DATABASE_UNAVAILABLE, wait_for_database


class Command(BaseCommand):
    help = (
        "Bring the listening insights rollups up to date with the listens counted since the "
        "last run (INSIGHTS_ROLLUPS=deferred). With --every, keep going; statistics lag by at "
        "most that long plus one run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Apply again every SECONDS until stopped (default: drain once and exit).",
        )

    def handle(self, *args, every: int, **options) -> None:
        if every < 0:
            raise CommandError("--every must be zero or more seconds")
        while True:
            started, applied = time.monotonic(), 0
            try:
                while (batch := insights_apply_pending()) == PENDING_BATCH:
                    applied += batch
                applied += batch
            except DATABASE_UNAVAILABLE as exc:
                if not every:
                    raise
                wait_for_database(exc, process="listen rollups")
                continue
            took = time.monotonic() - started
            if applied or options["verbosity"] > 1:
                stamp = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
                self.stdout.write(f"{stamp} Applied {applied} listen(s) in {took:.1f} s")
            if not every:
                return
            time.sleep(max(0.0, every - took))
