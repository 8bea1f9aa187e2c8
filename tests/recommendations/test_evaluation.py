"""The offline evaluation at the benchmark's small scale: the model finds the synthetic taste
that a popularity list cannot (docs/recommendations.md has the full table)."""

import numpy as np

from bench.generate import SCALES
from bench.recommendations import synthetic_events
from core.recommendations import evaluation, model

SMALL = SCALES["small"]


def test_the_model_beats_popularity_and_random_on_recall_and_ndcg_at_small_scale():
    listens, favorites = synthetic_events(SMALL)
    artist_of = {track: (track - 1) // 10 for track in range(1, SMALL.tracks + 1)}

    found = {
        s.name: s
        for s in evaluation.evaluate(listens, favorites, artist_of=artist_of, catalog=SMALL.tracks)
    }

    model_, popular, random = (
        found["item-item co-occurrence"],
        found["most popular"],
        found["random"],
    )
    assert model_.recall > 2 * popular.recall
    assert model_.recall > 2 * random.recall
    assert model_.ndcg > popular.ndcg and model_.ndcg > random.ndcg
    assert model_.coverage > popular.coverage


def test_the_split_holds_out_each_listeners_last_fifth_of_counted_listens():
    users = np.array([1] * 10 + [2] * 10)
    tracks = np.arange(20)
    times = np.tile(np.arange(10.0), 2)
    listens = model.Events(users, tracks, np.ones(20, dtype=np.float32), times)
    none = model.Events.concat([])

    split = evaluation.time_split(listens, none)

    assert split.truth == {1: {8, 9}, 2: {18, 19}}
    assert len(split.train) == 16


def test_tracks_played_before_the_cut_are_not_counted_as_found_again():
    listens = model.Events(
        np.array([1] * 5),
        np.array([7, 8, 9, 10, 7]),
        np.ones(5, dtype=np.float32),
        np.arange(5.0),
    )

    split = evaluation.time_split(listens, model.Events.concat([]))

    assert split.truth == {}
