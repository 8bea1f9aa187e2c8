"""The item-item co-occurrence model and the two baselines, on arrays (numpy, scipy.sparse).

Nothing here reads the database: training (training.py) and the offline evaluation
(evaluation.py) hand it interaction events and read back neighbours and ranked lists.
docs/recommendations.md says why this model and how it was measured.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Events:
    """Interactions, one per place: who (user id), what (track id), how much, when (epoch s)."""

    users: np.ndarray
    tracks: np.ndarray
    weights: np.ndarray
    times: np.ndarray

    def __len__(self) -> int:
        return len(self.users)

    def where(self, mask: np.ndarray) -> "Events":
        return Events(self.users[mask], self.tracks[mask], self.weights[mask], self.times[mask])

    @staticmethod
    def concat(parts: list["Events"]) -> "Events":
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return Events(empty, empty, empty.astype(np.float32), empty.astype(np.float64))
        return Events(*(np.concatenate([getattr(p, f) for p in parts]) for f in Events.FIELDS))

    FIELDS = ("users", "tracks", "weights", "times")


@dataclass(frozen=True)
class Matrix:
    """A user x item matrix of summed weights, with the ids its rows and columns stand for."""

    values: sparse.csr_matrix
    user_ids: np.ndarray
    item_ids: np.ndarray

    @staticmethod
    def from_events(events: Events) -> "Matrix":
        user_ids, rows = np.unique(events.users, return_inverse=True)
        item_ids, cols = np.unique(events.tracks, return_inverse=True)
        values = sparse.csr_matrix(
            (events.weights.astype(np.float32), (rows, cols)),
            shape=(len(user_ids), len(item_ids)),
        )
        values.sum_duplicates()
        return Matrix(values, user_ids, item_ids)


@dataclass(frozen=True)
class Neighbours:
    """Each item's nearest items: row i of `scores` holds item i's K best, by column index."""

    scores: sparse.csr_matrix
    item_ids: np.ndarray

    def of(self, column: int) -> tuple[np.ndarray, np.ndarray]:
        """(neighbour columns, scores) of one item, best first."""
        start, end = self.scores.indptr[column], self.scores.indptr[column + 1]
        columns, scores = self.scores.indices[start:end], self.scores.data[start:end]
        order = np.argsort(-scores, kind="stable")
        return columns[order], scores[order]


def _confidence(values: sparse.csr_matrix) -> sparse.csr_matrix:
    """Damp heavy repeats: the tenth listen of a track says less than the first."""
    damped = values.copy()
    damped.data = np.log1p(np.maximum(damped.data, 0)).astype(np.float32)
    damped.eliminate_zeros()
    return damped


def _heaviest(values: sparse.csr_matrix, limit: int) -> sparse.csr_matrix:
    """Each row's `limit` largest entries (all of a row that has fewer)."""
    counts = np.diff(values.indptr)
    if counts.max(initial=0) <= limit:
        return values
    keep = np.ones(values.nnz, dtype=bool)
    for row in np.flatnonzero(counts > limit):
        start, end = values.indptr[row], values.indptr[row + 1]
        drop = np.argpartition(-values.data[start:end], limit)[limit:]
        keep[start + drop] = False
    rows = np.repeat(np.arange(values.shape[0]), counts)
    return sparse.csr_matrix(
        (values.data[keep], (rows[keep], values.indices[keep])), shape=values.shape
    )


def _top_k_rows(block: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Keep the k largest entries of each row of `block`."""
    block = block.tocsr()
    rows, cols, vals = [], [], []
    for row in range(block.shape[0]):
        start, end = block.indptr[row], block.indptr[row + 1]
        if start == end:
            continue
        data = block.data[start:end]
        index = block.indices[start:end]
        if end - start > k:
            keep = np.argpartition(-data, k)[:k]
            data, index = data[keep], index[keep]
        rows.append(np.full(len(data), row, dtype=np.int32))
        cols.append(index)
        vals.append(data)
    if not rows:
        return sparse.csr_matrix(block.shape, dtype=np.float32)
    return sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=block.shape
    )


def item_neighbours(
    matrix: Matrix,
    *,
    k: int = 50,
    shrink: float = 0.0,
    block: int = 2048,
    max_per_user: int = 1000,
    progress: Progress | None = None,
) -> Neighbours:
    """Cosine similarity of items over the users who played them (score = co / (|a| |b| +
    shrink)), the k best kept per item. `shrink` damps pairs few people share; the offline
    evaluation found any shrink worse on this data (docs/recommendations.md), hence 0.

    Computed a block of items at a time, so memory is one block's co-occurrences, not the
    whole item x item matrix. A listener counts with their `max_per_user` heaviest items only:
    the cost is the sum of the squares of listeners' item counts, so one listener with 10^4
    tracks would cost as much as 400 with 500 each, for little more signal."""
    x = _heaviest(_confidence(matrix.values), max_per_user).tocsc()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=0)).ravel()).astype(np.float32)
    xt = x.T.tocsr()
    items = x.shape[1]
    parts = []
    for start in range(0, items, block):
        stop = min(start + block, items)
        co = (xt[start:stop] @ x).tocoo()
        other = co.row + start != co.col
        row, col = co.row[other], co.col[other]
        data = co.data[other] / (norms[row + start] * norms[col] + shrink)
        co = sparse.csr_matrix((data, (row, col)), shape=(stop - start, items))
        parts.append(_top_k_rows(co, k))
        if progress:
            progress(stop, items)
    scores = sparse.vstack(parts).tocsr() if parts else sparse.csr_matrix((0, 0))
    return Neighbours(scores.astype(np.float32), matrix.item_ids)


@dataclass(frozen=True)
class Ranked:
    """Each user's top items (columns of the model's matrix), best first, and for each the
    column of the user's own item that contributed most (the reason), or -1."""

    items: np.ndarray
    scores: np.ndarray
    because: np.ndarray


def recommend(
    matrix: Matrix, neighbours: Neighbours, rows: np.ndarray, *, n: int, reasons: bool = False
) -> Ranked:
    """The n best items for each user row: the sum over their items of item weight x
    similarity, their own items left out. With `reasons`, also which of their items
    contributed most to each."""
    x = _confidence(matrix.values)[rows].tocsr()
    scores = (x @ neighbours.scores).tocsr()
    items = np.full((len(rows), n), -1)
    top_scores = np.zeros((len(rows), n), dtype=np.float32)
    because = np.full((len(rows), n), -1)
    for i in range(len(rows)):
        start, end = scores.indptr[i], scores.indptr[i + 1]
        candidates, values = scores.indices[start:end], scores.data[start:end]
        seen = x.indices[x.indptr[i] : x.indptr[i + 1]]
        keep = ~np.isin(candidates, seen) & (values > 0)
        candidates, values = candidates[keep], values[keep]
        if len(candidates) > n:
            best = np.argpartition(-values, n - 1)[:n]
            candidates, values = candidates[best], values[best]
        order = np.lexsort((candidates, -values))
        picked = candidates[order]
        items[i, : len(picked)] = picked
        top_scores[i, : len(picked)] = values[order]
        if reasons and len(picked):
            # Which of the listener's items gave each pick most: weight x neighbour score,
            # over the listener's items (rows) and the picks (columns) at once.
            weights = x.data[x.indptr[i] : x.indptr[i + 1]]
            block = neighbours.scores[seen][:, picked].toarray() * weights[:, None]
            best = block.argmax(axis=0)
            found = block[best, np.arange(len(picked))] > 0
            because[i, : len(picked)] = np.where(found, seen[best], -1)
    return Ranked(items, top_scores, because)


def popular(matrix: Matrix, rows: np.ndarray, *, n: int) -> np.ndarray:
    """Most-popular baseline: the items most users played, minus each user's own."""
    counts = np.asarray((matrix.values > 0).sum(axis=0)).ravel()
    order = np.argsort(-counts, kind="stable")
    return _first_unseen(matrix, rows, order, n)


def random_items(matrix: Matrix, rows: np.ndarray, *, n: int, seed: int = 0) -> np.ndarray:
    """Random baseline: n items drawn uniformly from the catalog the model knows."""
    generator = np.random.default_rng(seed)
    result = np.full((len(rows), n), -1)
    for i, row in enumerate(rows):
        order = generator.permutation(matrix.values.shape[1])
        result[i] = _first_unseen(matrix, np.array([row]), order, n)[0]
    return result


def _first_unseen(matrix: Matrix, rows: np.ndarray, order: np.ndarray, n: int) -> np.ndarray:
    result = np.full((len(rows), n), -1)
    for i, row in enumerate(rows):
        seen = set(matrix.values.indices[matrix.values.indptr[row] : matrix.values.indptr[row + 1]])
        picked = [item for item in order[: n + len(seen)] if item not in seen][:n]
        result[i, : len(picked)] = picked
    return result
