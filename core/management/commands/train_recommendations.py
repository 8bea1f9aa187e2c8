import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from core.recommendations import training
from core.recommendations.evaluation_run import evaluate_from_database
from media_pipeline.db_outage import DATABASE_UNAVAILABLE, wait_for_database


class Command(BaseCommand):
    help = (
        "Train the recommendation model on every signal and replace what the recommendation "
        "endpoints read (neighbours, candidates, daily mixes); then print the offline "
        "evaluation (docs/recommendations.md). With --every, train again every SECONDS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, metavar="SECONDS")
        parser.add_argument(
            "--no-evaluation", action="store_true", help="Train only; skip the evaluation."
        )

    def handle(self, *args, every: int, no_evaluation: bool, **options) -> None:
        if every < 0:
            raise CommandError("--every must be zero or more seconds")
        while True:
            try:
                self._once(evaluate=not no_evaluation)
            except DATABASE_UNAVAILABLE as exc:
                if not every:
                    raise
                wait_for_database(exc, process="recommendation training")
                continue
            if not every:
                return
            time.sleep(every)

    def _once(self, *, evaluate: bool) -> None:
        bar = tqdm(total=0, desc="track neighbours", unit="track", file=self.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        summary = training.train(say=lambda line: self.stdout.write(line), progress=progress)
        bar.close()
        self.stdout.write(
            f"Trained on {summary.listeners} listeners and {summary.tracks} tracks "
            f"({', '.join(f'{k}: {v}' for k, v in summary.events.items())}): "
            f"{summary.track_neighbours} track and {summary.artist_neighbours} artist "
            f"neighbours, {summary.candidates} candidates, {summary.mixes} daily mixes."
        )
        if evaluate:
            self.stdout.write("Offline evaluation (time-based split, last 20% held out):")
            for line in evaluate_from_database():
                self.stdout.write(line)
