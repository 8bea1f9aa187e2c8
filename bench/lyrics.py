"""Lyric search at scale: tracks (the generator's catalog, without plays), lyrics for a fifth of
them, and the latency of GET /api/tracks/?lyrics= for phrases taken from those lyrics.

Generation and timing are separate commands, so that the data is made once (slow, CPU-bound)
into a database kept running, and the timing runs alone on a quiet machine:

    DATABASE_URL=postgres://... python -m bench.lyrics generate --tracks 1000000 [--reset]
    DATABASE_URL=postgres://... python -m bench.lyrics lyrics --corpus zipf   # lyrics only
    DATABASE_URL=postgres://... python -m bench.lyrics measure [--repeat 100] [--explain]

Two corpora, each 30 lines of 6 words per lyric:

- `uniform` (the harsh one): words drawn uniformly from the generator's 1,000-word vocabulary,
  so every word is in about 16 % of all lyrics and each word of a phrase has a long posting
  list to intersect;
- `zipf`: words from a 50,000-word vocabulary with Zipf's law (the word of rank r with a
  probability proportional to 1/r), closer to natural text: a few words are in nearly every
  lyric, most are rare.

A phrase is 4 consecutive words of a random playable track's lyrics, so it names few tracks.
Requests go through Django's test client in this process (anonymous: the playable tracks), and
the figures are the p50 and p95 of `--repeat` requests, each a new phrase.
"""

import argparse
import json
import os
import random
import statistics
import time

from bench.generate import Scale, generate, vocabulary
from bench.settings_env import setup_django

LINES, WORDS_PER_LINE, PHRASE_WORDS = 30, 6, 4
ZIPF_WORDS = 50_000
CORPORA = ("uniform", "zipf")


def zipf_vocabulary() -> list[str]:
    """ZIPF_WORDS distinct pronounceable words, none of them in `vocabulary()` (whose words all
    end in x), so that a lyric tells which corpus it came from."""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    syllables = [c + v for c in consonants for v in vowels]  # 70
    words = []
    for i in range(ZIPF_WORDS):
        # Short words first: the most frequent words of a language are its shortest.
        parts, n = [], i
        while True:
            parts.append(syllables[n % len(syllables)])
            n //= len(syllables)
            if n == 0:
                break
            n -= 1
        words.append("".join(parts))
    return words


def fill_lyrics(corpus: str = "uniform", share: int = 5) -> float:
    """Lyrics for every `share`-th track, the full-text index rebuilt after; seconds taken."""
    from django.db import connection, transaction

    started = time.perf_counter()
    words = vocabulary() if corpus == "uniform" else zipf_vocabulary()
    if corpus == "uniform":
        pick = "1 + floor(random() * %(count)s)::int"
    else:
        # Rank floor((n + 1)^u) of a uniform u in [0, 1) has P(r) close to 1/r (Zipf, s = 1).
        pick = "least(floor(power(%(count)s + 1, random()))::int, %(count)s)"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("TRUNCATE core_tracklyrics")
        cursor.execute('DROP INDEX IF EXISTS "core_tracklyrics_document_idx"')
        # One random word per slot, lines of WORDS_PER_LINE words, LINES lines per track.
        cursor.execute(
            f"""
            INSERT INTO core_tracklyrics (track_id, plain, synced, source, language, updated_at)
            SELECT t.id, l.plain, '[]'::jsonb, 'tags', '', now()
            FROM core_track t
            CROSS JOIN LATERAL (
                SELECT string_agg(line, E'\\n') AS plain FROM (
                    SELECT string_agg((%(words)s::text[])[{pick}], ' ') AS line
                    FROM generate_series(1, {LINES * WORDS_PER_LINE}) g(i)
                    WHERE t.id > 0
                    GROUP BY (g.i - 1) / {WORDS_PER_LINE}
                ) lines
            ) l
            WHERE t.id %% %(share)s = 0
            """,  # noqa: S608 (fixed numbers and expressions)
            {"words": words, "count": len(words), "share": share},
        )
    with connection.cursor() as cursor:
        # After the commit: deferred foreign-key checks of the insert must have run first.
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(_index_statement())  # the migration's own statement
        cursor.execute("VACUUM ANALYZE core_tracklyrics")
    return round(time.perf_counter() - started, 1)


def _index_statement() -> str:
    import importlib

    # Migration modules start with a digit: import them by name.
    migration = importlib.import_module("core.migrations.0021_track_previews_and_lyrics")
    return migration.LYRICS_INDEX


def loaded_corpus() -> str:
    """Which corpus the lyrics table holds (the uniform corpus's words all end in x)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT plain FROM core_tracklyrics LIMIT 1")
        row = cursor.fetchone()
    if row is None:
        raise SystemExit("No lyrics: run `python -m bench.lyrics generate` first.")
    return "uniform" if all(word.endswith("x") for word in row[0].split()) else "zipf"


def phrases(count: int) -> list[str]:
    """`count` phrases, each from the lyrics of a different random playable track."""
    from django.db import connection

    rng = random.Random(18)
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(track_id) FROM core_tracklyrics")
        last = cursor.fetchone()[0] or 0
        cursor.execute(
            "SELECT l.plain FROM core_tracklyrics l JOIN core_track t ON t.id = l.track_id "
            "WHERE t.status = 'ready' AND NOT t.is_hidden AND l.track_id = ANY(%s) "
            "ORDER BY l.track_id",
            [rng.sample(range(1, last + 1), min(last, count * 20))],
        )
        texts = [row[0] for row in cursor.fetchall()]
    found = []
    for text in rng.sample(texts, min(count, len(texts))):
        line = rng.choice(text.splitlines()).split()
        start = rng.randrange(0, len(line) - PHRASE_WORDS + 1)
        found.append(" ".join(line[start : start + PHRASE_WORDS]))
    return found


def _summary(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        "requests": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "max_ms": round(timings[-1], 1),
    }


def _timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def _matching_pks(tracks, phrase: str) -> list:
    from core.lyrics.selectors import tracks_matching_lyrics

    return list(tracks_matching_lyrics(tracks, phrase).values_list("pk")[:100])


def measure(repeat: int) -> dict:
    """The API request with a phrase, the same request's track list without one (the page's
    own cost, for the ratio), and the phrase's SQL alone: the playable tracks it matches, up to
    100 ids, without the page, the count or the payloads."""
    from django.test import Client

    from core.catalog.models import Track

    client = Client()
    chosen = phrases(repeat)
    for phrase in chosen[:3]:  # connections, caches and plans warm
        client.get("/api/tracks/", {"lyrics": phrase})
        client.get("/api/tracks/")
    api, page, sql, hits = [], [], [], []
    for phrase in chosen:
        elapsed, response = _timed(lambda p=phrase: client.get("/api/tracks/", {"lyrics": p}))
        api.append(elapsed)
        assert response.status_code == 200, response.content
        hits.append(response.json()["count"])
        page.append(_timed(lambda: client.get("/api/tracks/"))[0])
        sql.append(_timed(lambda p=phrase: _matching_pks(Track.objects.playable(), p))[0])
    return {
        "api_with_phrase": _summary(api),
        "api_without_phrase": _summary(page),
        "phrase_sql_alone": _summary(sql),
        "tracks_found_median": statistics.median(hits),
        "tracks_found_max": max(hits),
        "every_phrase_found": all(hits),
    }


def explain(phrase: str) -> list[str]:
    """EXPLAIN ANALYZE of every statement one request with `phrase` makes."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        Client().get("/api/tracks/", {"lyrics": phrase})
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            plans.append(f"-- {query['time']} s\n{sql}\n{plan}")
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate", help="tracks and lyrics (slow; run it once)")
    make.add_argument("--tracks", type=int, default=100_000)
    make.add_argument("--reset", action="store_true", help="replace existing catalog rows")
    make.add_argument("--corpus", choices=CORPORA, default="uniform")
    refill = commands.add_parser("lyrics", help="replace the lyrics only")
    refill.add_argument("--corpus", choices=CORPORA, default="uniform")
    timing = commands.add_parser("measure", help="time the requests (run it on a quiet machine)")
    timing.add_argument("--repeat", type=int, default=100)
    timing.add_argument("--explain", action="store_true", help="print the plans of one request")
    args = parser.parse_args()
    setup_django()

    print("load average before:", os.getloadavg())
    if args.command == "generate":
        scale = Scale("lyrics", users=10, tracks=args.tracks, plays=1_000, favorites=10)
        print(f"Generating {args.tracks} tracks:", generate(scale, reset=args.reset))
    if args.command in ("generate", "lyrics"):
        print(f"Lyrics ({args.corpus}) for a fifth of them:", fill_lyrics(args.corpus), "s")
    if args.command == "measure":
        from core.catalog.models import Track
        from core.lyrics.models import TrackLyrics

        result = {
            "corpus": loaded_corpus(),
            "tracks": Track.objects.count(),
            "with_lyrics": TrackLyrics.objects.count(),
            **measure(args.repeat),
        }
        print(json.dumps(result, indent=1))
        if args.explain:
            print("\n\n".join(explain(phrases(1)[0])))
    print("load average after:", os.getloadavg())


if __name__ == "__main__":
    main()
