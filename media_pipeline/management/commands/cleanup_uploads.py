from django.core.management.base import BaseCommand, CommandError, CommandParser

from media_pipeline.uploads import uploads_discard_expired


class Command(BaseCommand):
    help = (
        "Discard pending uploads whose registration window has closed and delete their "
        "objects. A storage failure keeps the upload for the next run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be discarded; change nothing."
        )
        parser.add_argument(
            "--older-than",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Only uploads whose window closed at least SECONDS ago (default 0).",
        )

    def handle(self, *args, dry_run: bool, older_than: int, **options) -> None:
        if older_than < 0:
            raise CommandError("--older-than must be zero or more seconds")
        report = uploads_discard_expired(grace_seconds=older_than, dry_run=dry_run)
        for key in report.discarded:
            self.stdout.write(f"{'would discard' if dry_run else 'discarded'} {key}")
        for key, reason in report.failed.items():
            self.stderr.write(f"failed {key}: {reason}")
        if dry_run:
            self.stdout.write(f"Would discard {len(report.discarded)} expired uploads.")
            return
        self.stdout.write(
            f"Discarded {len(report.discarded)} expired uploads; "
            f"{len(report.failed)} failed and will be retried."
        )
        if report.failed:
            raise CommandError(f"{len(report.failed)} uploads could not be deleted from storage")
