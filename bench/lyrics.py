"""Lyric search at scale: tracks (the generator's catalog, without plays), lyrics for a fifth of
them, and the latency of GET /api/tracks/?lyrics= for phrases taken from those lyrics.

    DATABASE_URL=postgres://... python -m bench.lyrics --tracks 1000000 [--reset] [--repeat 100]

Each lyric is 30 lines of 6 words drawn from the generator's 1,000-word vocabulary; a phrase is
4 consecutive words of a random track's lyrics, so it names few tracks. Requests go through
Django's test client in this process (anonymous: the playable tracks), and the figures are the
p50 and p95 of `--repeat` requests, each a new phrase.
"""

import argparse
import random
import statistics
import time

from bench.generate import Scale, generate, vocabulary
from bench.settings_env import setup_django

LINES, WORDS_PER_LINE, PHRASE_WORDS = 30, 6, 4


def fill_lyrics(share: int = 5) -> float:
    """Lyrics for every `share`-th track, the full-text index rebuilt after; seconds taken."""
    from django.db import connection, transaction

    started = time.perf_counter()
    words = vocabulary()
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
                    SELECT string_agg(
                        (%(words)s::text[])[1 + floor(random() * %(count)s)::int], ' '
                    ) AS line
                    FROM generate_series(1, {LINES * WORDS_PER_LINE}) g(i)
                    WHERE t.id > 0
                    GROUP BY (g.i - 1) / {WORDS_PER_LINE}
                ) lines
            ) l
            WHERE t.id %% %(share)s = 0
            """,  # noqa: S608 (fixed numbers)
            {"words": words, "count": len(words), "share": share},
        )
    with connection.cursor() as cursor:
        # After the commit: deferred foreign-key checks of the insert must have run first.
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(_index_statement())  # the migration's own statement
        cursor.execute("ANALYZE core_tracklyrics")
    return round(time.perf_counter() - started, 1)


def _index_statement() -> str:
    import importlib

    # Migration modules start with a digit: import them by name.
    migration = importlib.import_module("core.migrations.0021_track_previews_and_lyrics")
    return migration.LYRICS_INDEX


def phrases(count: int) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.plain FROM core_tracklyrics l JOIN core_track t ON t.id = l.track_id "
            "WHERE t.status = 'ready' AND NOT t.is_hidden ORDER BY random() LIMIT %s",
            [count],
        )
        texts = [row[0] for row in cursor.fetchall()]
    rng = random.Random(18)
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
    }


def measure(repeat: int) -> dict:
    """The API request with a phrase, the same request's track list without one (the page's
    own cost, for the ratio), and the phrase's SQL alone (the matching ids)."""
    from django.test import Client

    from core.catalog.models import Track
    from core.lyrics.selectors import tracks_matching_lyrics

    client = Client()
    client.get("/api/tracks/", {"lyrics": "warm up"})
    api, page, sql, hits = [], [], [], []
    for phrase in phrases(repeat):
        start = time.perf_counter()
        response = client.get("/api/tracks/", {"lyrics": phrase})
        api.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content
        hits.append(response.json()["count"])
        start = time.perf_counter()
        client.get("/api/tracks/")
        page.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        list(tracks_matching_lyrics(Track.objects.playable(), phrase).values_list("pk")[:100])
        sql.append((time.perf_counter() - start) * 1000)
    return {
        "api_with_phrase": _summary(api),
        "api_without_phrase": _summary(page),
        "phrase_sql_alone": _summary(sql),
        "tracks_found_median": statistics.median(hits),
        "every_phrase_found": all(hits),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--reset", action="store_true", help="replace existing catalog rows")
    parser.add_argument("--skip-generate", action="store_true", help="reuse the tracks there")
    parser.add_argument("--measure-only", action="store_true", help="reuse tracks and lyrics")
    args = parser.parse_args()
    setup_django()
    import os

    print("load average before:", os.getloadavg())
    if not (args.skip_generate or args.measure_only):
        scale = Scale("lyrics", users=10, tracks=args.tracks, plays=1_000, favorites=10)
        print(f"Generating {args.tracks} tracks:", generate(scale, reset=args.reset))
    if not args.measure_only:
        print("Lyrics for a fifth of them:", fill_lyrics(), "s")
    print(measure(args.repeat))
    print("load average after:", os.getloadavg())


if __name__ == "__main__":
    main()
