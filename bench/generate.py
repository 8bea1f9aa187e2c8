"""Fill a PostgreSQL database with a catalog, listeners, favorites, history and playlists.

    DATABASE_URL=postgres://... python -m bench.generate --scale small|medium|large [--reset]

Rows are made by `INSERT ... SELECT FROM generate_series` inside the server, with the
secondary indexes dropped during the load and rebuilt after (much faster than maintaining
them row by row), and foreign-key triggers off (the generator keeps every reference valid).
Ids start at 1 in every table, so the runner can address rows by arithmetic. Who plays and
favorites what follows a synthetic taste structure (bench/taste.py: listener communities that
prefer genres and artists, popular hits, noise), made in numpy and sent in chunks.
"""

import argparse
import time
from dataclasses import asdict, dataclass

from bench import taste
from bench.settings_env import setup_django

# Key space of playlist positions, as the playlists service spaces them after a renumbering.
POSITION_GAP = 2**32
# Playlists of these sizes, owned by the first bench user, exist at every scale (curves);
# the largest is one short of the 10,000-item cap so that adds fit.
CURVE_PLAYLIST_SIZES = (100, 1_000, 9_999)
# One listener in ten plays gets the first user, whose history is the deep one.
HEAVY_USER_SHARE = taste.HEAVY_USER_SHARE
# Plays and favorites are sent to the server this many at a time.
CHUNK = 500_000
# The skewed shape (--plays skewed): the first user holds one play in SKEWED_HEAVY_SHARE (10^5
# of the large scale's 10^7), half of a listener's plays go to their own FAVORITES tracks, the
# other half to the catalog with a power-law popularity (r**HIT_EXPONENT of a uniform r: the
# first 0.01 % of tracks take a tenth of those plays, the first 10 % more than half), spread
# uniformly over HISTORY_DAYS; three plays in five are counted.
SKEWED_HEAVY_SHARE = 100
FAVORITES = 200
HIT_EXPONENT = 4
HISTORY_DAYS = 730
WORDS = 1_000


@dataclass(frozen=True)
class Scale:
    name: str
    users: int
    tracks: int
    plays: int
    favorites: int

    @property
    def artists(self) -> int:
        return max(self.tracks // 10, 1)

    @property
    def genres(self) -> int:
        return 50


SCALES = {
    "tiny": Scale("tiny", users=20, tracks=2_000, plays=10_000, favorites=1_000),
    "small": Scale("small", users=100, tracks=10_000, plays=100_000, favorites=10_000),
    "medium": Scale("medium", users=1_000, tracks=100_000, plays=1_000_000, favorites=100_000),
    "large": Scale("large", users=10_000, tracks=1_000_000, plays=10_000_000, favorites=1_000_000),
}

TABLES = [
    "core_playlistitem",
    "core_playlist",
    "core_favorite",
    "core_play",
    "core_track_genres",
    "core_track",
    "core_album",
    "core_artist",
    "core_genre",
]


def vocabulary() -> list[str]:
    """WORDS pronounceable, distinct words: each one is in about 0.2 % of track titles."""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    words = []
    for i in range(WORDS):
        a, b, c = i % 14, (i // 14) % 5, (i // 70) % 14
        words.append(consonants[a] + vowels[b] + consonants[c] + vowels[(i // 980 + a) % 5] + "x")
    return words


def search_word(index: int = 7) -> str:
    """A word the runner searches for; present in about 1/500 of titles."""
    return vocabulary()[index]


def _secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """Indexes of `table` that back no constraint: (name, CREATE statement)."""
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        LEFT JOIN pg_constraint c ON c.conindid = i.oid
        WHERE t.relname = %s AND c.oid IS NULL
        """,
        [table],
    )
    return cursor.fetchall()


def _python_defaults_in_database(cursor) -> list[str]:
    """Give each NOT NULL column with a model default a database default for the load, so the
    inserts, which name only the columns they fill, survive new columns; returns the undo."""
    from django.apps import apps
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    undo = []
    for model in apps.get_app_config("core").get_models():
        if model._meta.db_table not in (*TABLES, "core_user"):
            continue
        for field in model._meta.concrete_fields:
            if field.null or not field.has_default() or field.db_default is not NOT_PROVIDED:
                continue
            value = field.get_db_prep_save(field.get_default(), connection)
            column = f'"{model._meta.db_table}" ALTER COLUMN "{field.column}"'
            cursor.execute(f"ALTER TABLE {column} SET DEFAULT %s", [value])
            undo.append(f"ALTER TABLE {column} DROP DEFAULT")
    return undo


def _step(label: str):
    start = time.perf_counter()
    print(f"  {label} ...", end="", flush=True)

    def done() -> None:
        print(f" {time.perf_counter() - start:.1f} s", flush=True)

    return done


def generate(scale: Scale, *, reset: bool = False, plays: str = "uniform") -> dict:
    """Create the rows of `scale` in the database of DATABASE_URL (migrated first)."""
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    # One transaction: a failure must not leave the dropped indexes dropped.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_track")
        if cursor.fetchone()[0] and not reset:
            raise SystemExit("The database already has tracks; pass --reset to replace them.")
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        cursor.execute("DELETE FROM core_user WHERE username LIKE 'bench%%'")
        restore = _python_defaults_in_database(cursor)
        dropped = []
        for table in ("core_track", "core_play", "core_favorite", "core_track_genres"):
            for name, definition in _secondary_indexes(cursor, table):
                cursor.execute(f'DROP INDEX "{name}"')
                dropped.append(definition)
        _fill(cursor, scale, plays)
        done = _step(f"rebuild {len(dropped)} indexes")
        for definition in dropped:
            cursor.execute(definition)
        done()
        for statement in restore:
            cursor.execute(statement)
        cursor.execute("SET session_replication_role = origin")
        # The artist index's change log (migration 0046) saw none of the load, its triggers off:
        # a row without artist makes any process keeping the index read every artist again.
        cursor.execute(
            "INSERT INTO core_artistindexchange (artist_id, xid, changed_at) "
            "VALUES (NULL, pg_current_xact_id()::text::bigint, clock_timestamp())"
        )
        for table in ("core_user", *TABLES):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (fixed names)
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
    with connection.cursor() as cursor:
        done = _step("analyze")
        cursor.execute("ANALYZE")
        done()
    return {"scale": asdict(scale), "seconds": round(time.perf_counter() - started, 1)}


def _fill(cursor, s: Scale, plays: str = "uniform") -> None:
    words = vocabulary()
    done = _step(f"{s.users} users")
    cursor.execute(
        """
        INSERT INTO core_user (password, is_superuser, username, username_key, first_name,
            last_name, email, is_staff, is_active, date_joined, nickname, bio, avatar,
            token_version)
        SELECT '!', false, 'bench' || i, 'bench' || i, '', '', 'bench' || i || '@example.com',
            false, true, now(), '', '', '', 0
        FROM generate_series(1, %s) AS i ORDER BY i
        """,
        [s.users],
    )
    cursor.execute("SELECT min(id) FROM core_user WHERE username LIKE 'bench%%'")
    first_user = cursor.fetchone()[0]
    done()

    done = _step(f"{s.genres} genres, {s.artists} artists and albums")
    cursor.execute(
        "INSERT INTO core_genre (name, created_at) "
        "SELECT 'genre ' || i, now() FROM generate_series(1, %s) AS i",
        [s.genres],
    )
    cursor.execute(
        "INSERT INTO core_artist (name, bio, created_at) "
        "SELECT (%s::text[])[1 + i %% %s] || ' ' || i, '', now() "
        "FROM generate_series(1, %s) AS i",
        [words, WORDS, s.artists],
    )
    cursor.execute(
        "INSERT INTO core_album "
        "(title, artist_id, year, artwork, is_hidden, hidden_role, created_at) "
        "SELECT (%s::text[])[1 + (i * 7) %% %s] || ' album', i, 1960 + i %% 65, '', false, '', "
        "now() "
        "FROM generate_series(1, %s) AS i",
        [words, WORDS, s.artists],
    )
    done()

    done = _step(f"{s.tracks} tracks")
    # Ten tracks per album; 1 % processing and 1 % hidden, the rest ready; newest has the top id.
    cursor.execute(
        """
        INSERT INTO core_track (title, artist_id, album_id, track_number, year, duration,
            storage_key, size, content_type, checksum_sha256, status, failure_reason, is_hidden,
            hidden_role, uploaded_by_id, created_at, updated_at)
        SELECT w[1 + (i * 7919) %% %(words)s] || ' ' || w[1 + (i / 7) %% %(words)s] || ' ' || i,
            1 + (i - 1) / 10, 1 + (i - 1) / 10, 1 + (i - 1) %% 10, 1960 + (i / 10) %% 65,
            120 + i %% 300, 'bench/' || i || '.mp3', 4000000 + i, 'audio/mpeg', '',
            CASE WHEN i %% 100 = 3 THEN 'processing' ELSE 'ready' END, '', i %% 100 = 5,
            CASE WHEN i %% 100 = 5 THEN 'moderator' ELSE '' END, %(uploader)s,
            now() - (%(tracks)s - i) * interval '1 minute',
            now() - (%(tracks)s - i) * interval '1 minute'
        FROM generate_series(1::bigint, %(tracks)s) AS i, (SELECT %(vocab)s::text[] AS w) AS v
        """,
        {"words": WORDS, "uploader": first_user + 1, "tracks": s.tracks, "vocab": words},
    )
    # An artist's tracks share its genre; artists take the genres in turn (bench/taste.py).
    cursor.execute(
        "INSERT INTO core_track_genres (track_id, genre_id) "
        "SELECT i, 1 + ((i - 1) / %s) %% %s FROM generate_series(1, %s) AS i",
        [taste.TRACKS_PER_ARTIST, s.genres, s.tracks],
    )
    done()

    done = _step(f"{s.plays} plays ({plays})")
    if plays == "skewed":
        _skewed_plays(cursor, s, first_user)
    else:
        _uniform_plays(cursor, s, first_user)
    done()

    number, user_index, track = taste.favorites(
        s.favorites, users=s.users, tracks=s.tracks, genres=s.genres
    )
    done = _step(f"{len(number)} favorites (of {s.favorites} drawn)")
    for start in range(0, len(number), CHUNK):
        part = slice(start, start + CHUNK)
        cursor.execute(
            """
            INSERT INTO core_favorite (user_id, track_id, created_at)
            SELECT %(first)s + u, t, now() - (%(favorites)s - i) * interval '1 second'
            FROM unnest(%(numbers)s::bigint[], %(users)s::bigint[], %(tracks)s::bigint[])
                AS f(i, u, t)
            """,
            {
                "first": first_user,
                "favorites": s.favorites,
                "numbers": number[part].tolist(),
                "users": user_index[part].tolist(),
                "tracks": track[part].tolist(),
            },
        )
    done()

    done = _step("playlists")
    # One 10-item playlist per listener, then the curve playlists of the first user.
    cursor.execute(
        "INSERT INTO core_playlist (owner_id, name, description, is_public, snapshot_id, "
        "items_count, created_at, updated_at) "
        "SELECT %s + i, 'mix ' || i, '', i %% 2 = 0, md5(i::text), 10, now(), now() "
        "FROM generate_series(0, %s - 1) AS i",
        [first_user, s.users],
    )
    # Only playable tracks (ids ending in 03 and 05 are not, see above), so that the load's
    # reorder indexes always fall inside each listener's ten visible items.
    cursor.execute(
        "INSERT INTO core_playlistitem (playlist_id, track_id, position, playable, added_at) "
        "SELECT 1 + i / 10, t + CASE WHEN t %% 100 IN (3, 5) THEN 1 ELSE 0 END, "
        "(1 + i %% 10) * %s::bigint, false, now() "
        "FROM (SELECT i, 1 + (i::bigint * 40503) %% %s AS t "
        "FROM generate_series(0, %s * 10 - 1) AS i) AS items",
        [POSITION_GAP, s.tracks, s.users],
    )
    for size in CURVE_PLAYLIST_SIZES:
        cursor.execute(
            "INSERT INTO core_playlist (owner_id, name, description, is_public, snapshot_id, "
            "items_count, created_at, updated_at) "
            "VALUES (%s, %s, '', false, md5(%s), %s, now(), now()) RETURNING id",
            [first_user, f"curve {size}", str(size), size],
        )
        playlist_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO core_playlistitem (playlist_id, track_id, position, playable, added_at) "
            "SELECT %s, 1 + (i::bigint * 40503) %% %s, i * %s::bigint, false, now() "
            "FROM generate_series(1, %s) AS i",
            [playlist_id, s.tracks, POSITION_GAP, size],
        )
    # Each item's copy of its track's playability, as the playlists service keeps it.
    cursor.execute(
        "UPDATE core_playlistitem AS i SET playable = true FROM core_track AS t "
        "WHERE t.id = i.track_id AND t.status = 'ready' AND NOT t.is_hidden"
    )
    done()

    # The triggers that keep albums' and artists' playable totals (migration 0040) are off
    # during the load (session_replication_role): fill the totals from the tracks once, by
    # grouping (the tracks' secondary indexes are dropped during the load, so per-artist
    # subqueries would scan the table once per artist).
    done = _step("playable totals of albums and artists")
    cursor.execute(
        "INSERT INTO core_albumplayable (album_id, track_count, duration) "
        "SELECT album_id, count(*), coalesce(sum(duration), 0) FROM core_track "
        "WHERE status = 'ready' AND NOT is_hidden AND album_id IS NOT NULL GROUP BY album_id"
    )
    cursor.execute(
        """
        INSERT INTO core_artistplayable (artist_id, track_count, album_count)
        SELECT a.id, coalesce(t.n, 0), coalesce(al.n, 0)
          FROM core_artist AS a
          LEFT JOIN (SELECT artist_id, count(*) AS n FROM core_track
                      WHERE status = 'ready' AND NOT is_hidden GROUP BY artist_id) AS t
                 ON t.artist_id = a.id
          LEFT JOIN (SELECT al.artist_id, count(*) AS n FROM core_album AS al
                       JOIN core_albumplayable AS p ON p.album_id = al.id
                      WHERE p.track_count > 0 GROUP BY al.artist_id) AS al
                 ON al.artist_id = a.id
        """
    )
    done()


def _uniform_plays(cursor, s: Scale, first_user: int) -> None:
    """One play a second up to now."""
    # Every HEAVY_USER_SHARE-th play is the first user's; the rest spread over everyone, each
    # drawing from their community's taste, the hits or the whole catalog (bench/taste.py).
    for start in range(1, s.plays + 1, CHUNK):
        chunk = taste.plays(
            start, min(start + CHUNK, s.plays + 1), users=s.users, tracks=s.tracks, genres=s.genres
        )
        cursor.execute(
            """
            INSERT INTO core_play (user_id, track_id, started_at, client, played_seconds,
                counted, counted_at)
            SELECT %(first)s + u, t, now() - (%(plays)s - i) * interval '1 second', 'bench', 100,
                i %% %(every)s = 0,
                CASE WHEN i %% %(every)s = 0 THEN now() - (%(plays)s - i) * interval '1 second' END
            FROM unnest(%(numbers)s::bigint[], %(users)s::bigint[], %(tracks)s::bigint[])
                AS p(i, u, t)
            """,
            {
                "first": first_user,
                "plays": s.plays,
                "every": taste.COUNTED_EVERY,
                "numbers": chunk.number.tolist(),
                "users": chunk.user_index.tolist(),
                "tracks": chunk.track.tolist(),
            },
        )


def _skewed_plays(cursor, s: Scale, first_user: int) -> None:
    """Two years of history with a few hits and a long tail (see SKEWED_HEAVY_SHARE)."""
    cursor.execute("SELECT setseed(0.15)")
    cursor.execute(
        """
        INSERT INTO core_play (user_id, track_id, started_at, client, played_seconds, counted,
            counted_at)
        SELECT user_id,
            CASE WHEN random() < 0.5
                THEN 1 + (user_id::bigint * 104729 + floor(%(favorites)s * random() ^ 2)::bigint
                    * 7919) %% %(tracks)s
                ELSE 1 + floor(%(tracks)s * random() ^ %(hit)s)::bigint END,
            started_at, 'bench',
            round((CASE WHEN counted THEN 120 + r * 180 ELSE r * 60 END)::numeric, 1)::float,
            counted, CASE WHEN counted THEN started_at END
        FROM (
            SELECT CASE WHEN i %% %(heavy)s = 0 THEN %(first)s
                    ELSE %(first)s + 1 + floor((%(users)s - 1) * random() ^ 2)::int END
                    AS user_id,
                now() - %(days)s * interval '1 day' * random() AS started_at,
                random() < 0.6 AS counted, random() AS r
            FROM generate_series(1, %(plays)s) AS i
        ) AS drawn
        """,
        {
            "heavy": SKEWED_HEAVY_SHARE,
            "first": first_user,
            "users": s.users,
            "tracks": s.tracks,
            "plays": s.plays,
            "favorites": FAVORITES,
            "hit": HIT_EXPONENT,
            "days": HISTORY_DAYS,
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--reset", action="store_true", help="replace existing catalog rows")
    parser.add_argument(
        "--plays",
        choices=("uniform", "skewed"),
        default="uniform",
        help="uniform: one play a second up to now, drawn from listeners' tastes "
        "(bench/taste.py); skewed: two years, hits and a tail",
    )
    args = parser.parse_args()
    setup_django()
    print(f"Generating the {args.scale} scale:")
    summary = generate(SCALES[args.scale], reset=args.reset, plays=args.plays)
    print(f"Done in {summary['seconds']} s.")


if __name__ == "__main__":
    main()
