"""Training: the command trains and prints its evaluation; the periodic task trains and queues
the next run; the signal sources say what each event means."""

from io import StringIO

from django.core.management import call_command

from core.recommendations import sources, training
from core.recommendations.models import ListenerCandidate, TrackNeighbour, TrainingRun
from tests import factories
from tests.recommendations.conftest import listened


def test_the_command_trains_shows_progress_and_prints_the_evaluation(world):
    out, err = StringIO(), StringIO()

    call_command("train_recommendations", stdout=out, stderr=err)

    printed = out.getvalue()
    assert "Trained on" in printed
    assert "| item-item co-occurrence |" in printed
    assert "| most popular |" in printed and "| random |" in printed
    assert "track neighbours" in err.getvalue()
    assert TrackNeighbour.objects.exists()
    assert TrainingRun.objects.count() == 1


def test_training_again_replaces_what_it_made(trained):
    before = ListenerCandidate.objects.count()

    training.train()

    assert ListenerCandidate.objects.count() == before
    assert TrainingRun.objects.count() == 2


def test_the_periodic_task_trains_and_queues_its_next_run(world, settings):
    from core.recommendations.tasks import train_recommendations

    result = train_recommendations.call()

    assert result["candidates"] == ListenerCandidate.objects.count() > 0


def test_a_favorite_leads_to_a_reason_saying_liked(world):
    fan = factories.UserFactory(username="liker")
    factories.FavoriteFactory(user=fan, track=world.jazz_tracks[0])

    training.train()

    candidate = ListenerCandidate.objects.filter(user=fan).order_by("-score").first()
    assert candidate.because_id == world.jazz_tracks[0].pk
    assert candidate.because_kind == "favorited"


def test_a_skipped_track_is_never_a_candidate(world):
    skipped = world.rock_tracks[-1]
    listened(world.alice, skipped, days_ago=45, counted=False, seconds=5)

    training.train()

    candidates = set(
        ListenerCandidate.objects.filter(user=world.alice).values_list("track_id", flat=True)
    )
    assert candidates
    assert skipped.pk not in candidates


def test_an_artist_exclusion_source_takes_all_its_tracks_out(world, monkeypatch):
    banned = world.rock_tracks[-1].artist

    def read_bad_ratings(now):
        import numpy as np

        from core.recommendations.model import Events

        return Events(np.array([world.alice.pk]), np.array([banned.pk]), np.ones(1), np.zeros(1))

    rating = sources.Source("bad ratings", sources.Role.EXCLUDE_ARTISTS, read_bad_ratings)
    monkeypatch.setattr(sources, "SOURCES", [*sources.SOURCES, rating])
    monkeypatch.setattr(training, "SOURCES", sources.SOURCES)

    training.train()

    artists = set(
        ListenerCandidate.objects.filter(user=world.alice).values_list("track__artist", flat=True)
    )
    assert artists
    assert banned.pk not in artists
