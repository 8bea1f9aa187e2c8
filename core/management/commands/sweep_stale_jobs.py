import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.processing.jobs import processing_sweep_stale


class Command(BaseCommand):
    help = (
        "Re-send processing jobs whose worker stopped mid-run (no heartbeat for "
        "PIPELINE_STALE_AFTER_SECONDS) or whose queued task was lost. Run it beside the workers, "
        "with --every to keep it going."
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
        while True:
            swept = processing_sweep_stale()
            if swept or options["verbosity"] > 1:
                ids = ", ".join(map(str, swept)) or "none"
                self.stdout.write(f"Re-sent {len(swept)} stale job(s): {ids}")
            if not every:
                return
            time.sleep(every)
