"""The periodic training job: a thin wrapper around training.train, re-queued after each run."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

# Daily mixes are refreshed daily: train once a day.
TRAIN_EVERY = timedelta(days=1)


@task()
def train_recommendations() -> dict:
    """Train, then queue the next run TRAIN_EVERY later (where the backend can defer)."""
    from core.recommendations import training

    summary = training.train()
    backend = train_recommendations.get_backend()
    if backend.supports_defer:
        train_recommendations.using(run_after=timezone.now() + TRAIN_EVERY).enqueue()
    return {"listeners": summary.listeners, "candidates": summary.candidates}
