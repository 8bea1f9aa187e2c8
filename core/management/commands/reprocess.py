from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from core.catalog.models import Track, TrackStatus
from core.processing.jobs import track_process_enqueue
from core.processing.previews import track_preview_remake
from core.processing.run import track_process


class Command(BaseCommand):
    help = (
        "Run media processing again for tracks chosen by id, by status, or all of them. "
        "Jobs go to the task queue (a worker must be running) unless --sync is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("track_ids", nargs="*", type=int, help="Ids of the tracks.")
        parser.add_argument(
            "--status",
            action="append",
            choices=TrackStatus.values,
            help="Tracks in this status (repeatable), e.g. --status failed.",
        )
        parser.add_argument("--all", action="store_true", help="Every track.")
        parser.add_argument(
            "--only",
            choices=["preview"],
            help="Re-run one step for ready tracks, here and now: `preview` cuts their "
            "30-second previews again (tracks processed before previews existed get one).",
        )
        parser.add_argument(
            "--sync",
            action="store_true",
            help="Process here, one track after another, instead of queueing jobs.",
        )

    def handle(self, *args, track_ids: list[int], status, all: bool, sync: bool, only, **options):
        if sum(map(bool, (track_ids, status, all))) != 1:
            raise CommandError("Choose tracks with ids, --status, or --all (exactly one of them)")
        tracks = Track.objects.order_by("pk")
        if track_ids:
            tracks = tracks.filter(pk__in=track_ids)
            missing = set(track_ids) - set(tracks.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No track with id {', '.join(map(str, sorted(missing)))}")
        elif status:
            tracks = tracks.filter(status__in=status)
        ids = list(tracks.values_list("pk", flat=True))
        outcomes: dict[str, int] = {}
        progress = tqdm(
            ids,
            desc="Previews" if only else "Processing" if sync else "Queueing",
            unit="track",
            file=self.stderr,
            disable=options["verbosity"] == 0,
        )
        for track_id in progress:
            if only == "preview":
                outcome = track_preview_remake(track_id=track_id)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                continue
            job = track_process_enqueue(track_id=track_id, send=not sync)
            outcome = track_process(track_id=track_id, token=str(job.token)) if sync else "queued"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        summary = ", ".join(f"{count} {name}" for name, count in sorted(outcomes.items()))
        self.stdout.write(f"{len(ids)} track(s): {summary or 'nothing to do'}")
