"""The loop shared by the commands that run beside the workers: one round of work, once or
every N seconds, waiting out database outages when kept running."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from media_pipeline.db_outage import DATABASE_UNAVAILABLE, wait_for_database


def now_stamp() -> str:
    """The current time as the commands' log lines show it."""
    return timezone.now().strftime("%Y-%m-%d %H:%M:%S")


class PeriodicCommand(BaseCommand):
    """Run the subclass's `run_round()` once, or every `--every` seconds until stopped.

    Run once (from cron), a database outage is an error; kept running, the command waits for the
    database to return and starts the round again, so one outage never ends the process.
    """

    # What the outage log lines call this process ("chart refresh", ...).
    process_name = ""
    every_help = "Run again every SECONDS until stopped (default: once and exit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, metavar="SECONDS", help=self.every_help)

    def handle(self, *args, every: int, **options) -> None:
        if every < 0:
            raise CommandError("--every must be zero or more seconds")
        self.verbosity = options["verbosity"]
        self.every = every
        self.before_rounds()
        while True:
            started = time.monotonic()
            try:
                self.run_round()
            except DATABASE_UNAVAILABLE as exc:
                if not every:
                    raise
                wait_for_database(exc, process=self.process_name)
                continue
            if not every:
                return
            time.sleep(max(0.0, every - (time.monotonic() - started)))

    def before_rounds(self) -> None:
        """Say or check what is worth saying once, before the first round."""
