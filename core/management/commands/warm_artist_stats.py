"""Keep the settled statistics of artists that have managers, once or every N seconds."""

import logging
import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from core.artists.selectors import managed_artists_time_zones
from core.insights.artists import artist_figures_keep
from core.management.periodic import PeriodicCommand, now_stamp
from media_pipeline.db_outage import DATABASE_UNAVAILABLE

logger = logging.getLogger(__name__)


class Command(PeriodicCommand):
    help = (
        "Compute and keep, in the shared cache, the settled statistics of every artist that has "
        "managers, in each of its managers' time zones, so that a manager's first view of a "
        "long period does not read months of listens. Months already kept are not read again; "
        "run it daily, after midnight UTC."
    )
    process_name = "artist statistics warm-up"
    every_help = "Warm again every SECONDS until stopped (default: once and exit)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--artist",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="Only this artist (repeatable).",
        )

    def before_rounds(self) -> None:
        backend = settings.CACHES["default"]["BACKEND"]
        if "locmem" in backend:
            raise CommandError(
                "The cache is each process's own memory (REDIS_URL is not set): what this "
                "command keeps would not reach the web processes."
            )
        if not settings.INSIGHTS_STATS_CACHE_SECONDS:
            raise CommandError("INSIGHTS_STATS_CACHE_SECONDS is 0: statistics are not kept.")

    def handle(self, *args, artist: list[int], **options) -> None:
        self.only = set(artist)
        super().handle(*args, **options)

    def run_round(self) -> None:
        started = time.monotonic()
        kept = failed = 0
        for artist_id, zones in managed_artists_time_zones().items():
            if self.only and artist_id not in self.only:
                continue
            for zone in zones:
                try:
                    kept += artist_figures_keep(artist_id=artist_id, tz=ZoneInfo(zone))
                except DATABASE_UNAVAILABLE:
                    raise
                except Exception:
                    # One artist's failure (a cache timeout) must not stop the others'.
                    logger.exception(
                        "Could not keep the statistics of artist %s in %s", artist_id, zone
                    )
                    failed += 1
        took = time.monotonic() - started
        if self.every or self.verbosity > 1 or failed:
            self.stdout.write(
                f"{now_stamp()} Kept the statistics of {kept} artist time zone(s) in {took:.1f} s"
                + (f"; {failed} failed" if failed else "")
            )
        if failed and not self.every:
            raise CommandError(f"{failed} artist time zone(s) failed; see the log")
