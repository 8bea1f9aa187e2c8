from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.uploads.discarded import uploads_sweep_discarded
from core.uploads.multipart import multipart_abort_stale
from core.uploads.services import uploads_discard_expired
from media_pipeline.storage import StorageError

# Multipart uploads younger than this are left alone: their slot row may not be committed yet.
ORPHAN_MULTIPART_AGE = timedelta(hours=1)


class Command(BaseCommand):
    help = (
        "Discard pending uploads whose registration window has closed and delete their "
        "objects, delete any object stored under an aborted or discarded upload since, and "
        "abort multipart uploads that no live upload owns. A storage failure keeps the upload "
        "for the next run."
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
        late = uploads_sweep_discarded(dry_run=dry_run)
        for key in late.deleted:
            verb = "would delete" if dry_run else "deleted"
            self.stdout.write(f"{verb} {key}, stored after its upload was closed")
        for key, reason in late.failed.items():
            self.stderr.write(f"failed to delete {key}: {reason}")
        try:
            stale = multipart_abort_stale(older_than=ORPHAN_MULTIPART_AGE, dry_run=dry_run)
        except StorageError as exc:
            raise CommandError(f"could not list multipart uploads: {exc}") from exc
        for key in stale.aborted:
            self.stdout.write(
                f"{'would abort' if dry_run else 'aborted'} multipart upload of {key}"
            )
        for key, reason in stale.failed.items():
            self.stderr.write(f"failed to abort multipart upload of {key}: {reason}")
        self.stdout.write(
            f"{'Would delete' if dry_run else 'Deleted'} {len(late.deleted)} objects stored "
            "after their upload was aborted or discarded."
        )
        if dry_run:
            self.stdout.write(
                f"Would discard {len(report.discarded)} expired uploads and abort "
                f"{len(stale.aborted)} orphaned multipart uploads."
            )
            return
        failed = len(report.failed) + len(late.failed) + len(stale.failed)
        self.stdout.write(
            f"Discarded {len(report.discarded)} expired uploads and aborted "
            f"{len(stale.aborted)} orphaned multipart uploads; "
            f"{failed} failed and will be retried."
        )
        if failed:
            raise CommandError(f"{failed} uploads could not be cleaned up in storage")
