"""The recommendations' offline evaluation on the generator's synthetic taste, without a database.

    python -m bench.recommendations --scale small|medium|large [--variants]

Makes the plays and favorites bench/generate.py would insert (bench/taste.py), splits each
listener's counted listens by time (the last 20 % held out), and prints recall@20, NDCG@20,
catalog coverage and artist diversity of the model and of the most-popular and random
baselines, with the time and peak memory of the run. `--variants` also scores other settings
of the model, and ALS and BPR from the `implicit` package when it is importable (it is not a
dependency: install it by hand to compare). docs/recommendations.md has the figures.
"""

import argparse
import resource
import time

import numpy as np

from bench import taste
from bench.generate import SCALES, Scale
from core.recommendations import evaluation, model
from core.recommendations.weights import FAVORITE_WEIGHT


def synthetic_events(scale: Scale) -> tuple[model.Events, model.Events]:
    """Counted listens (weight 1, time = play number) and favorites (after the plays)."""
    plays = taste.plays(
        1, scale.plays + 1, users=scale.users, tracks=scale.tracks, genres=scale.genres
    )
    counted = plays.counted
    listens = model.Events(
        plays.user_index[counted],
        plays.track[counted],
        np.ones(counted.sum(), dtype=np.float32),
        plays.number[counted].astype(float),
    )
    number, users, tracks = taste.favorites(
        scale.favorites, users=scale.users, tracks=scale.tracks, genres=scale.genres
    )
    # Favorites are made in the last `favorites` seconds of the plays' span, as generated.
    favorites = model.Events(
        users,
        tracks,
        np.full(len(users), FAVORITE_WEIGHT, dtype=np.float32),
        (scale.plays - scale.favorites + number).astype(float),
    )
    return listens, favorites


def _artists(scale: Scale) -> dict[int, int]:
    return {t: (t - 1) // taste.TRACKS_PER_ARTIST for t in range(1, scale.tracks + 1)}


def variants(scale: Scale, listens: model.Events, favorites: model.Events) -> list[str]:
    split = evaluation.time_split(listens, favorites)
    matrix = model.Matrix.from_events(split.train)
    known = set(matrix.user_ids.tolist())
    users = [u for u in split.truth if u in known]
    truth = {u: split.truth[u] for u in users}
    rows = np.searchsorted(matrix.user_ids, np.array(users, dtype=np.int64))
    artist_of = _artists(scale)

    def scored(name: str, columns: np.ndarray, seconds: float) -> str:
        lists = {
            u: [int(matrix.item_ids[c]) for c in ranked if c >= 0]
            for u, ranked in zip(users, columns, strict=True)
        }
        row = evaluation.score(name, lists, truth, catalog=scale.tracks, artist_of=artist_of)
        return f"{row.row()} {seconds:.1f} s |"

    lines = []
    for k, shrink in ((20, 0.0), (50, 0.0), (100, 0.0), (50, 0.5), (50, 5.0)):
        start = time.perf_counter()
        neighbours = model.item_neighbours(matrix, k=k, shrink=shrink)
        ranked = model.recommend(matrix, neighbours, rows, n=evaluation.K).items
        lines.append(
            scored(f"item-item k={k} shrink={shrink}", ranked, time.perf_counter() - start)
        )
    try:
        from implicit.als import AlternatingLeastSquares
        from implicit.bpr import BayesianPersonalizedRanking
    except ImportError:
        lines.append("(implicit is not installed: ALS and BPR not compared)")
        return lines
    weights = model._confidence(matrix.values).tocsr()
    for name, fitted in (
        ("ALS 64 factors", AlternatingLeastSquares(factors=64, iterations=15, random_state=0)),
        ("BPR 64 factors", BayesianPersonalizedRanking(factors=64, iterations=100, random_state=0)),
    ):
        start = time.perf_counter()
        fitted.fit(weights, show_progress=False)
        ranked, _ = fitted.recommend(rows, weights[rows], N=evaluation.K)
        lines.append(scored(name, ranked, time.perf_counter() - start))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--variants", action="store_true")
    args = parser.parse_args()
    scale = SCALES[args.scale]
    start = time.perf_counter()
    listens, favorites = synthetic_events(scale)
    print(f"{args.scale}: {len(listens)} counted listens, {len(favorites)} favorites")
    print(evaluation.TABLE_HEADER)
    for row in evaluation.evaluate(
        listens, favorites, artist_of=_artists(scale), catalog=scale.tracks
    ):
        print(row.row())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{time.perf_counter() - start:.1f} s, peak memory {peak:.0f} MB")
    if args.variants:
        print("| setting | recall@20 | NDCG@20 | coverage | diversity | fit and rank |")
        print("|---|---|---|---|---|---|")
        for line in variants(scale, listens, favorites):
            print(line)


if __name__ == "__main__":
    main()
