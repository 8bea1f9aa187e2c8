"""Offline evaluation: a time-based split of each listener's counted listens, and recall@K,
NDCG@K, catalog coverage and diversity for the model and the two baselines.

Each listener's last HOLDOUT of counted listens (by start time) is held out; the model and the
baselines see every event before the listener's first held-out listen, and are asked for K
tracks the listener had not played then. The truth is the distinct tracks of the held-out
listens that the listener had not played before: finding something new to them is the task.
"""

from dataclasses import dataclass

import numpy as np

from core.recommendations import model

HOLDOUT = 0.2
K = 20


@dataclass(frozen=True)
class Split:
    train: model.Events
    # user id -> the set of track ids held out
    truth: dict[int, set[int]]


def time_split(listens: model.Events, others: model.Events, *, holdout: float = HOLDOUT) -> Split:
    """Cut each listener's counted listens at their last `holdout` share; every other event
    (favorites, playlist adds) before the cut is training data too."""
    order = np.lexsort((listens.times, listens.users))
    users, times = listens.users[order], listens.times[order]
    cut_time: dict[int, float] = {}
    starts = np.flatnonzero(np.r_[True, users[1:] != users[:-1]])
    ends = np.r_[starts[1:], len(users)]
    for start, end in zip(starts, ends, strict=True):
        count = end - start
        held = round(count * holdout)
        if count >= 5 and held:
            cut_time[int(users[start])] = float(times[end - held])
    cut = np.array([cut_time.get(int(u), np.inf) for u in listens.users])
    before = listens.times < cut
    other_cut = np.array([cut_time.get(int(u), np.inf) for u in others.users])
    train = model.Events.concat([listens.where(before), others.where(others.times < other_cut)])
    seen: dict[int, set[int]] = {}
    for user, track in zip(train.users.tolist(), train.tracks.tolist(), strict=True):
        seen.setdefault(user, set()).add(track)
    truth: dict[int, set[int]] = {}
    for user, track in zip(
        listens.users[~before].tolist(), listens.tracks[~before].tolist(), strict=True
    ):
        if track not in seen.get(user, ()):
            truth.setdefault(user, set()).add(track)
    return Split(train, truth)


@dataclass(frozen=True)
class Scores:
    name: str
    recall: float
    ndcg: float
    coverage: float
    diversity: float

    def row(self) -> str:
        return (
            f"| {self.name} | {self.recall:.3f} | {self.ndcg:.3f} | {self.coverage:.1%} "
            f"| {self.diversity:.2f} |"
        )


TABLE_HEADER = (
    f"| ranking | recall@{K} | NDCG@{K} | catalog coverage | artist diversity |\n"
    "|---|---|---|---|---|"
)


def score(
    name: str,
    lists: dict[int, list[int]],
    truth: dict[int, set[int]],
    *,
    catalog: int,
    artist_of: dict[int, int],
    k: int = K,
) -> Scores:
    """Mean recall@k and NDCG@k over listeners with held-out tracks; coverage is the share of
    the catalog's tracks in anyone's list, diversity the mean share of distinct artists in a
    list."""
    recalls, ndcgs, diversities, shown = [], [], [], set()
    discounts = 1 / np.log2(np.arange(2, k + 2))
    for user, relevant in truth.items():
        ranked = lists.get(user, [])[:k]
        shown.update(ranked)
        hits = np.array([track in relevant for track in ranked], dtype=float)
        recalls.append(hits.sum() / min(len(relevant), k))
        ideal = discounts[: min(len(relevant), k)].sum()
        ndcgs.append(float((hits * discounts[: len(hits)]).sum() / ideal))
        if ranked:
            diversities.append(len({artist_of.get(t, t) for t in ranked}) / len(ranked))
    return Scores(
        name,
        float(np.mean(recalls)) if recalls else 0.0,
        float(np.mean(ndcgs)) if ndcgs else 0.0,
        len(shown) / catalog if catalog else 0.0,
        float(np.mean(diversities)) if diversities else 0.0,
    )


def evaluate(
    listens: model.Events,
    others: model.Events,
    *,
    artist_of: dict[int, int],
    catalog: int,
    neighbours_k: int = 50,
) -> list[Scores]:
    """The model, most-popular and random, scored on the same split."""
    split = time_split(listens, others)
    matrix = model.Matrix.from_events(split.train)
    users = [u for u in split.truth if u in set(matrix.user_ids.tolist())]
    truth = {u: split.truth[u] for u in users}
    rows = np.searchsorted(matrix.user_ids, np.array(users, dtype=np.int64))
    ids = matrix.item_ids
    neighbours = model.item_neighbours(matrix, k=neighbours_k)
    rankings = {
        "item-item co-occurrence": model.recommend(matrix, neighbours, rows, n=K).items,
        "most popular": model.popular(matrix, rows, n=K),
        "random": model.random_items(matrix, rows, n=K),
    }
    return [
        score(
            name,
            {
                u: [int(ids[c]) for c in columns if c >= 0]
                for u, columns in zip(users, ranked, strict=True)
            },
            truth,
            catalog=catalog,
            artist_of=artist_of,
        )
        for name, ranked in rankings.items()
    ]
