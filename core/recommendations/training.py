"""Training: read the sources, fit the model, and replace what requests read (neighbours,
candidates, daily mixes) in one transaction. Run by `manage.py train_recommendations` and by
the periodic task; a request never trains."""

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from core.recommendations import model, served
from core.recommendations.models import (
    ArtistNeighbour,
    DailyMix,
    DailyMixItem,
    ListenerCandidate,
    ReasonKind,
    TrackNeighbour,
    TrainingRun,
)
from core.recommendations.sources import FOLLOWED_ARTISTS, SOURCES, Role
from core.recommendations.weights import FOLLOW_BOOST

TRACK_NEIGHBOURS = 50
ARTIST_NEIGHBOURS = 20
CANDIDATES = 200
MIXES = 3
MIX_MIN, MIX_MAX = 25, 50
USER_BLOCK = 500
# A track uploaded in the last NEW_DAYS is new: the newest NEW_PER_ARTIST of each followed
# artist go to their followers, the newest NEW_PER_GENRE of each genre to the listeners who
# play that genre most (their NEW_GENRES first genres).
NEW_DAYS = 30
NEW_PER_ARTIST = 3
NEW_PER_GENRE = 3
NEW_GENRES = 3
# What training replaces, referenced tables first.
SERVED = (TrackNeighbour, ArtistNeighbour, ListenerCandidate, DailyMix, DailyMixItem)

Say = Callable[[str], None]


@dataclass
class Summary:
    listeners: int = 0
    tracks: int = 0
    events: dict[str, int] = field(default_factory=dict)
    track_neighbours: int = 0
    artist_neighbours: int = 0
    candidates: int = 0
    mixes: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _timed(summary: Summary, step: str, say: Say):
    start = time.perf_counter()
    say(f"{step} ...")

    def done() -> None:
        summary.seconds[step] = round(time.perf_counter() - start, 2)
        say(f"{step}: {summary.seconds[step]} s")

    return done


def read_sources(summary: Summary, say: Say) -> dict[Role, list[tuple[object, model.Events]]]:
    now = timezone.now()
    found: dict[Role, list] = defaultdict(list)
    for source in SOURCES:
        done = _timed(summary, f"read {source.name}", say)
        events = source.read(now)
        summary.events[source.name] = len(events)
        found[source.role].append((source, events))
        done()
    return found


def _pairs(users: np.ndarray, tracks: np.ndarray) -> np.ndarray:
    return users.astype(np.int64) * (2**32) + tracks.astype(np.int64)


def _track_facts() -> tuple[dict[int, int], dict[int, list[int]]]:
    """Each track's artist, and its genres."""
    from core.catalog.models import Track

    artist_of = dict(Track.objects.values_list("pk", "artist_id").iterator(chunk_size=50_000))
    genres: dict[int, list[int]] = defaultdict(list)
    through = Track.genres.through.objects.values_list("track_id", "genre_id")
    for track_id, genre_id in through.iterator(chunk_size=50_000):
        genres[track_id].append(genre_id)
    return artist_of, genres


def train(*, say: Say = lambda _: None, progress: model.Progress | None = None) -> Summary:
    """Fit on every source and replace the served tables; returns what was done."""
    summary = Summary()
    started = timezone.now()
    found = read_sources(summary, say)
    interactions = found[Role.INTERACTION]
    events = model.Events.concat([e for _, e in interactions])
    artist_of, genres = _track_facts()
    known = np.isin(events.tracks, np.fromiter(artist_of, dtype=np.int64))
    events = events.where(known)
    matrix = model.Matrix.from_events(events)
    summary.listeners, summary.tracks = matrix.values.shape

    done = _timed(summary, "track neighbours", say)
    neighbours = model.item_neighbours(matrix, k=TRACK_NEIGHBOURS, progress=progress)
    done()

    done = _timed(summary, "artist neighbours", say)
    artists = np.array([artist_of[t] for t in events.tracks.tolist()], dtype=np.int64)
    artist_matrix = model.Matrix.from_events(
        model.Events(events.users, artists, events.weights, events.times)
    )
    artist_neighbours = model.item_neighbours(artist_matrix, k=ARTIST_NEIGHBOURS)
    done()

    done = _timed(summary, "candidates", say)
    candidates = _candidates(matrix, neighbours, found, interactions, artist_of)
    candidates = _with_new_tracks(candidates, matrix, found, artist_of, genres)
    done()

    done = _timed(summary, "daily mixes", say)
    mixes = _mixes(matrix, candidates, genres)
    done()

    done = _timed(summary, "write", say)
    with transaction.atomic():
        with served.replacing(*SERVED) as new:
            summary.track_neighbours = _write_neighbours(new, TrackNeighbour, "track", neighbours)
            summary.artist_neighbours = _write_neighbours(
                new, ArtistNeighbour, "artist", artist_neighbours
            )
            summary.candidates = _write_candidates(new, candidates)
            summary.mixes = _write_mixes(new, mixes)
        TrainingRun.objects.create(
            started_at=started, finished_at=timezone.now(), summary=summary.__dict__
        )
    done()
    return summary


@dataclass(frozen=True)
class Candidate:
    user_id: int
    track_id: int
    score: float
    because_id: int | None
    because_kind: str
    because_genre_id: int | None = None


def _candidates(matrix, neighbours, found, interactions, artist_of) -> list[Candidate]:
    def pairs_of(role: Role) -> np.ndarray:
        parts = [_pairs(e.users, e.tracks) for _, e in found[role]]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    excluded_tracks, excluded_artists = (
        pairs_of(Role.EXCLUDE_TRACKS),
        pairs_of(Role.EXCLUDE_ARTISTS),
    )
    # What each (listener, track) pair was, for the reason: the first source that has it.
    kinds = [(source.reason, np.unique(_pairs(e.users, e.tracks))) for source, e in interactions]
    artist_ids = np.array(list(artist_of.values()), dtype=np.int64)
    artist_lookup = dict(zip(artist_of, range(len(artist_ids)), strict=True))
    result = []
    ids = matrix.item_ids
    for start in range(0, len(matrix.user_ids), USER_BLOCK):
        rows = np.arange(start, min(start + USER_BLOCK, len(matrix.user_ids)))
        ranked = model.recommend(matrix, neighbours, rows, n=CANDIDATES, reasons=True)
        found_at = ranked.items >= 0
        users = np.repeat(matrix.user_ids[rows], CANDIDATES).reshape(found_at.shape)[found_at]
        tracks = ids[ranked.items[found_at]]
        scores = ranked.scores[found_at]
        because = np.where(ranked.because >= 0, ids[ranked.because], -1)[found_at]
        artists = artist_ids[[artist_lookup[t] for t in tracks.tolist()]]
        keep = ~np.isin(_pairs(users, tracks), excluded_tracks) & ~np.isin(
            _pairs(users, artists), excluded_artists
        )
        kind = np.full(len(users), "", dtype=object)
        because_pairs = _pairs(users, because)
        for reason, pairs in reversed(kinds):
            kind[(because >= 0) & np.isin(because_pairs, pairs)] = reason.value if reason else ""
        for user, track, score, reason, reason_kind in zip(
            users[keep].tolist(),
            tracks[keep].tolist(),
            scores[keep].tolist(),
            because[keep].tolist(),
            kind[keep].tolist(),
            strict=True,
        ):
            result.append(
                Candidate(user, track, score, reason if reason >= 0 else None, reason_kind or "")
            )
    return result


def _new_tracks() -> list[tuple[int, int]]:
    """(track id, artist id) of the playable tracks uploaded in the last NEW_DAYS, newest first."""
    from datetime import timedelta

    from core.catalog.models import Track

    since = timezone.now() - timedelta(days=NEW_DAYS)
    return list(
        Track.objects.playable()
        .filter(created_at__gte=since)
        .order_by("-created_at", "-id")
        .values_list("pk", "artist_id")
        .iterator(chunk_size=50_000)
    )


def _top_genres(matrix, genres) -> dict[int, list[int]]:
    """Each listener's NEW_GENRES most played genres, by summed weight."""
    values = matrix.values
    result = {}
    for row, user_id in enumerate(matrix.user_ids.tolist()):
        start, end = values.indptr[row], values.indptr[row + 1]
        weight: dict[int, float] = defaultdict(float)
        items = matrix.item_ids[values.indices[start:end]].tolist()
        for track, w in zip(items, values.data[start:end].tolist(), strict=True):
            for genre in genres.get(track, []):
                weight[genre] += w
        result[user_id] = sorted(weight, key=lambda g: (-weight[g], g))[:NEW_GENRES]
    return result


def _with_new_tracks(
    candidates: list[Candidate], matrix, found, artist_of, genres
) -> list[Candidate]:
    """Follows and new tracks: candidates of a followed artist score FOLLOW_BOOST times more;
    a followed artist's new tracks go to the follower ("New from Z, whom you follow") at the
    top of their list; each genre's new tracks go to the listeners who play that genre most,
    halfway down. Never a track the listener already has or excluded."""
    follows: dict[int, set[int]] = defaultdict(set)
    for read in FOLLOWED_ARTISTS:
        users, artists = read()
        for user_id, artist_id in zip(users.tolist(), artists.tolist(), strict=True):
            follows[user_id].add(artist_id)
    new = _new_tracks()
    if not follows and not new:
        return candidates
    excluded: set[int] = set()
    for _, events in found[Role.EXCLUDE_TRACKS]:
        excluded.update(_pairs(events.users, events.tracks).tolist())
    by_user: dict[int, list[Candidate]] = defaultdict(list)
    for c in candidates:
        if c.user_id in follows and artist_of.get(c.track_id) in follows[c.user_id]:
            c = Candidate(
                c.user_id, c.track_id, c.score * FOLLOW_BOOST, c.because_id, c.because_kind
            )
        by_user[c.user_id].append(c)
    new_by_artist: dict[int, list[int]] = defaultdict(list)
    new_by_genre: dict[int, list[int]] = defaultdict(list)
    for track_id, artist_id in new:
        if len(new_by_artist[artist_id]) < NEW_PER_ARTIST:
            new_by_artist[artist_id].append(track_id)
        for genre in genres.get(track_id, []):
            if len(new_by_genre[genre]) < NEW_PER_GENRE:
                new_by_genre[genre].append(track_id)
    top_genres = _top_genres(matrix, genres) if new_by_genre else {}
    row_of = {u: i for i, u in enumerate(matrix.user_ids.tolist())}
    values = matrix.values
    result = []
    for user_id in sorted(set(by_user) | set(follows) | set(top_genres)):
        own = by_user.get(user_id, [])
        taken = {c.track_id for c in own}
        if user_id in row_of:
            row = row_of[user_id]
            taken |= set(
                matrix.item_ids[
                    values.indices[values.indptr[row] : values.indptr[row + 1]]
                ].tolist()
            )
        scores = sorted((c.score for c in own), reverse=True)
        top = scores[0] if scores else 1.0
        middle = scores[len(scores) // 2] if scores else 0.5
        added = []
        for artist_id in sorted(follows.get(user_id, ())):
            for track_id in new_by_artist.get(artist_id, []):
                if track_id not in taken and _pair(user_id, track_id) not in excluded:
                    added.append(Candidate(user_id, track_id, top, None, ReasonKind.FOLLOWED.value))
                    taken.add(track_id)
        for genre in top_genres.get(user_id, []):
            for track_id in new_by_genre.get(genre, []):
                if track_id not in taken and _pair(user_id, track_id) not in excluded:
                    added.append(
                        Candidate(
                            user_id, track_id, middle, None, ReasonKind.NEW_IN_GENRE.value, genre
                        )
                    )
                    taken.add(track_id)
        result += own + added
    return result


def _pair(user_id: int, track_id: int) -> int:
    return user_id * (2**32) + track_id


def _mixes(matrix, candidates: list[Candidate], genres) -> dict[int, list[tuple[int, list[int]]]]:
    """Per listener, up to MIXES (genre, tracks): the genres they play most, each with their
    own most-played tracks of it interleaved with their candidates of it."""
    by_user: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_user[candidate.user_id].append(candidate)
    values = matrix.values
    mixes = {}
    for row, user_id in enumerate(matrix.user_ids.tolist()):
        start, end = values.indptr[row], values.indptr[row + 1]
        order = np.argsort(-values.data[start:end], kind="stable")
        own = matrix.item_ids[values.indices[start:end][order]].tolist()
        per_genre: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for track in own:
            for genre in genres.get(track, []):
                per_genre[genre][0].append(track)
        for candidate in by_user.get(user_id, []):
            for genre in genres.get(candidate.track_id, []):
                per_genre[genre][1].append(candidate.track_id)
        ranked = sorted(per_genre.items(), key=lambda kv: (-len(kv[1][0]), kv[0]))
        chosen = []
        for genre, (mine, new) in ranked:
            tracks = _interleave(mine, new)[:MIX_MAX]
            if len(tracks) >= MIX_MIN:
                chosen.append((genre, tracks))
            if len(chosen) == MIXES:
                break
        if chosen:
            mixes[user_id] = chosen
    return mixes


def _interleave(first: list[int], second: list[int]) -> list[int]:
    result, seen = [], set()
    for pair in zip(first, second, strict=False):
        for track in pair:
            if track not in seen:
                seen.add(track)
                result.append(track)
    longer = first[len(second) :] if len(first) > len(second) else second[len(first) :]
    result += [t for t in longer if t not in seen]
    return result


def _write_neighbours(
    new: served.Replacement,
    table_model: type[TrackNeighbour | ArtistNeighbour],
    column: str,
    neighbours: model.Neighbours,
) -> int:
    coo = neighbours.scores.tocoo()
    ids = neighbours.item_ids
    new.copy_arrays(
        table_model,
        {
            f"{column}_id": ids[coo.row],
            "neighbour_id": ids[coo.col],
            "score": coo.data.astype(np.float64),
        },
    )
    return coo.nnz


def _write_candidates(new: served.Replacement, candidates: list[Candidate]) -> int:
    rows = [
        (c.user_id, c.track_id, c.score, c.because_id, c.because_kind, c.because_genre_id)
        for c in candidates
    ]
    columns = ("user_id", "track_id", "score", "because_id", "because_kind", "because_genre_id")
    new.copy_rows(ListenerCandidate, columns, rows)
    return len(rows)


def _write_mixes(new: served.Replacement, mixes: dict[int, list[tuple[int, list[int]]]]) -> int:
    from core.catalog.models import Genre

    names = dict(Genre.objects.values_list("pk", "name"))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    made = [
        (user_id, number, genre, f"Daily mix {number}: {names.get(genre, 'mixed')}", now)
        for user_id, chosen in mixes.items()
        for number, (genre, _) in enumerate(chosen, start=1)
    ]
    columns = ("user_id", "number", "genre_id", "title", "created_at")
    new.copy_rows(DailyMix, columns, made)
    ids = {
        (row["user_id"], row["number"]): row["id"]
        for row in new.read_rows(DailyMix, ("id", "user_id", "number"))
    }
    items = [
        (ids[(user_id, number)], track, position)
        for user_id, chosen in mixes.items()
        for number, (_, tracks) in enumerate(chosen, start=1)
        for position, track in enumerate(tracks, start=1)
    ]
    new.copy_rows(DailyMixItem, ("mix_id", "track_id", "position"), items)
    return len(made)
