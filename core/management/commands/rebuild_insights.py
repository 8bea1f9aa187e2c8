"""Recompute the listening insights rollups from the play history."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from core.insights.rebuild import rebuild_insights


class Command(BaseCommand):
    help = (
        "Recompute the listening insights rollups and listen counters from the counted plays "
        "(one transaction; listens of deleted tracks are kept)."
    )

    def handle(self, *args, **options) -> None:
        def progress(steps: list):
            """Listeners, or batches of them on PostgreSQL."""
            return tqdm(steps, desc="rebuilding", file=sys.stderr)

        result = rebuild_insights(progress=progress)
        self.stdout.write(
            f"Rebuilt insights: {result.listens} listens of {len(result.tracks)} tracks "
            f"by {result.listeners} listeners."
        )
