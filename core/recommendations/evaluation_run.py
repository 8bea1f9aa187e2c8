"""The offline evaluation on the database's own signals, as `train_recommendations` prints it."""

from django.utils import timezone

from core.recommendations import evaluation
from core.recommendations.model import Events
from core.recommendations.sources import SOURCES, Role


def evaluate_from_database() -> list[str]:
    """The evaluation table's lines, on the counted listens and the other interactions."""
    from core.catalog.models import Track

    now = timezone.now()
    listens, others = None, []
    for source in SOURCES:
        if source.role is not Role.INTERACTION:
            continue
        events = source.read(now)
        if source.name == "listens":
            listens = events
        else:
            others.append(events)
    if listens is None or not len(listens):
        return ["No counted listens: nothing to evaluate."]
    artist_of = dict(Track.objects.values_list("pk", "artist_id").iterator(chunk_size=50_000))
    scores = evaluation.evaluate(
        listens, Events.concat(others), artist_of=artist_of, catalog=len(artist_of)
    )
    return [evaluation.TABLE_HEADER, *(s.row() for s in scores)]
