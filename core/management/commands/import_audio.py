import threading
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from tqdm import tqdm

from core.roles import can_upload
from core.uploads.importer import (
    FileResult,
    ImportProgress,
    ImportSummary,
    Outcome,
    find_audio_files,
    import_files,
)
from media_pipeline.storage import StorageError, get_storage

INTERRUPTED_EXIT_CODE = 130  # as a shell reports a process stopped by Ctrl-C


LISTED_BY_DEFAULT = 10  # names shown of ignored or failed-before files; -v 2 shows all


def _plain(text: str) -> str:
    return text


class _Stream:
    """The command's stderr as tqdm needs it: written as given, without an added newline, and
    without the error style Django gives stderr (the bar is progress, not an error)."""

    def __init__(self, wrapper: OutputWrapper):
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, style_func=_plain, ending="")

    def flush(self) -> None:
        self._wrapper.flush()


class BarProgress(ImportProgress):
    """One tqdm bar in bytes (rate and ETA) with the count of finished files beside it."""

    def __init__(self, *, files: int, total_bytes: int, stream: OutputWrapper, enabled: bool):
        self._lock = threading.Lock()
        self._files, self._done, self._failed = files, 0, 0
        self._counted: dict[str, int] = {}
        self.bar = tqdm(
            total=total_bytes,
            desc="Importing",
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            file=_Stream(stream),
            disable=not enabled,
            mininterval=0.5,
            dynamic_ncols=True,
        )
        self._show_files()

    def _show_files(self) -> None:
        text = f"{self._done}/{self._files} files"
        if self._failed:
            text += f", {self._failed} failed"
        self.bar.set_postfix_str(text, refresh=False)

    def bytes_read(self, relative: str, count: int) -> None:
        with self._lock:
            self._counted[relative] = self._counted.get(relative, 0) + count
            self.bar.update(count)

    def file_done(self, result: FileResult) -> None:
        with self._lock:
            # Skipped and failed files count whole; an upload's unread rest too.
            rest = result.size - self._counted.pop(result.relative, 0)
            self._done += 1
            self._failed += result.outcome == Outcome.FAILED
            self._show_files()
            self.bar.update(max(rest, 0))

    def close(self) -> None:
        self.bar.close()


class Command(BaseCommand):
    help = (
        "Import a folder of audio files (searched recursively) into the catalog: each file is "
        "uploaded to storage and registered like an API upload, then processed by the workers. "
        "Files whose content (SHA-256) is already in the catalog are skipped, so a run stopped "
        "with Ctrl-C resumes when started again; files that failed in an earlier run are "
        "reported as failed before and not tried again (see --retry-failed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="The folder to import, searched recursively.")
        parser.add_argument(
            "--uploader",
            metavar="USERNAME",
            help="Who the tracks are uploaded by: an uploader or staff member "
            "(default: the first active superuser).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=4,
            metavar="N",
            help="Files imported at the same time (default 4).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and hash the files and say what would be imported; change nothing.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar (for logs and cron)."
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Try again files whose same content failed in an earlier run.",
        )

    def handle(self, *args, folder: str, workers: int, dry_run: bool, **options) -> None:
        root = Path(folder).expanduser().resolve()
        if not root.is_dir():
            raise CommandError(f"{folder} is not a folder")
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        user = self._uploader(options["uploader"])
        if not dry_run:
            try:
                get_storage().ping()
            except StorageError as exc:
                raise CommandError(f"Object storage is unavailable: {exc}") from exc

        walk = find_audio_files(root)
        total_bytes = sum(found.size for found in walk.files)
        progress = BarProgress(
            files=len(walk.files),
            total_bytes=total_bytes,
            stream=self.stderr,
            enabled=not options["no_progress"] and bool(walk.files),
        )
        started = time.monotonic()
        try:
            summary = import_files(
                walk.files,
                user=user,
                workers=workers,
                dry_run=dry_run,
                retry_failed=options["retry_failed"],
                progress=progress,
            )
        finally:
            progress.close()
        summary.failed[:0] = walk.errors
        elapsed = time.monotonic() - started
        self._report(summary, walk.ignored, total_bytes, elapsed, dry_run, options["verbosity"])

        if summary.interrupted:
            raise CommandError(
                f"Interrupted: {summary.not_started} file(s) not started. "
                "Run the same command again to import the rest.",
                returncode=INTERRUPTED_EXIT_CODE,
            )
        if summary.failed:
            raise CommandError(f"{len(summary.failed)} file(s) could not be imported (see above)")

    def _uploader(self, username: str | None):
        users = get_user_model().objects
        if username:
            user = users.filter(username__iexact=username).first()
            if user is None:
                raise CommandError(f"No user named {username!r}")
        else:
            user = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if user is None:
                raise CommandError("No active superuser: name the uploader with --uploader")
        if not can_upload(user):
            raise CommandError(
                f"{user.username} may not upload tracks: add them to the Uploaders group, "
                "or name another user with --uploader"
            )
        return user

    def _report(
        self,
        summary: ImportSummary,
        ignored: list[str],
        total_bytes: int,
        seconds: float,
        dry_run: bool,
        verbosity: int,
    ) -> None:
        for result in summary.failed:
            self.stderr.write(f"failed  {result.relative}: {result.reason}")
        if verbosity > 1:
            for result in summary.skipped:
                self.stdout.write(f"skipped {result.relative}: {result.reason}")
            for result in summary.imported:
                verb, what = ("checked", result.reason) if dry_run else ("imported", "")
                what = what or f"track {result.track_id}"
                self.stdout.write(f"{verb} {result.relative}: {what}")
        counts = (
            f"{len(summary.imported)} {'to import' if dry_run else 'imported'}, "
            f"{len(summary.skipped)} skipped, {len(summary.failed)} failed"
        )
        if summary.failed_before:
            counts += f", {len(summary.failed_before)} failed before"
        if summary.not_started:
            counts += f", {summary.not_started} not started"
        line = f"{counts} ({_size(total_bytes)} in {seconds:.1f} s)."
        if ignored:
            line += f" {len(ignored)} other file(s) ignored: not audio by their extension."
        self.stdout.write(("Dry run: " if dry_run else "") + line)
        failed_before = [f"{r.relative}: {r.reason}" for r in summary.failed_before]
        for title, names in (
            ("Failed before, not tried again (--retry-failed to try)", failed_before),
            ("Ignored", ignored),
        ):
            self._list(title, names, verbosity)

    def _list(self, title: str, names: list[str], verbosity: int) -> None:
        if not names or verbosity < 1:
            return
        shown = names if verbosity > 1 else names[:LISTED_BY_DEFAULT]
        self.stdout.write(f"{title}:")
        for name in shown:
            self.stdout.write(f"  {name}")
        if len(shown) < len(names):
            self.stdout.write(f"  … and {len(names) - len(shown)} more (-v 2 lists them all)")


def _size(count: int) -> str:
    size, unit = float(count), "B"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            break
        size /= 1024
    return f"{count} B" if unit == "B" else f"{size:.1f} {unit}"
