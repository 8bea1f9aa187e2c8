"""Tonearm next to the seed project it replaces, under the same server and load.

    DATABASE_URL=postgres://.../tonearm python -m bench.peer --peer DIR --scale small

DIR is a checkout of GitHub Kochiya35/Music_Streming at commit 27e2e74 (none of its code is kept
in this repository). The peer runs through the settings overlay of bench/peer_overlay/ on a
database of its own in the same PostgreSQL server, filled from the data bench.generate made for
Tonearm (same users, tracks, plays, favorites and playlists; ids map to the peer's UUIDs as
`00000000-0000-0000-0000-<id in hex>`), and presigns against moto's S3 server. Both APIs run
under gunicorn with the same spec at once; wrk loads one at a time, endpoint by endpoint, the
two in alternating order from round to round, and the ratio of each endpoint is the median over
rounds of Tonearm's throughput over the peer's in the same round. Writes
bench/results/<date>-<scale>-peer.json and .md.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import load
from bench.settings_env import apply, setup_django

OVERLAY = Path(__file__).resolve().parent / "peer_overlay"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
PEER_COMMIT = "27e2e74"

UUID = 'string.format("00000000-0000-0000-0000-%012x", '
# The peer's requests for the same actions as load.ENDPOINTS.
PEER_ENDPOINTS: dict[str, str] = {
    "floor": 'return "GET", "/api/bench/floor/", nil',
    "track_list": 'return "GET", "/api/tracks/", nil',
    "track_search": 'return "GET", "/api/tracks/?search=" .. search, nil',
    "history": 'return "GET", "/api/history/", nil',
    "stream": f'return "POST", "/api/tracks/" .. {UUID}track) .. "/stream/", "{{}}"',
    "playlist_add": (
        f'return "POST", "/api/playlists/" .. {UUID}own) .. "/add/", '
        f'\'{{"track_id": "\' .. {UUID}track) .. \'", "order": \' .. math.random(0, 9) .. "}}"'
    ),
}
ENDPOINTS = list(PEER_ENDPOINTS)


def _uuid(column: str) -> str:
    return f"lpad(to_hex({column}), 32, '0')::uuid"


# (peer table and columns, the rows from Tonearm's database); fixed SQL, no input.
COPIES: list[tuple[str, str]] = [
    (
        "core_user (id, password, last_login, is_superuser, username, first_name, last_name, "
        "email, is_staff, is_active, date_joined, nickname, avatar)",
        "SELECT id, password, last_login, is_superuser, username, first_name, last_name, email, "
        "is_staff, is_active, date_joined, left(nickname, 30), '' FROM core_user",
    ),
    (
        "core_track (id, title, artist, genre, thumbnail_url, audio_s3_key, duration_sec, "
        "created_at, updated_at, is_published)",
        f"SELECT {_uuid('t.id')}, left(t.title, 200), left(a.name, 120), coalesce(("  # noqa: S608
        "SELECT left(g.name, 80) FROM core_track_genres AS tg JOIN core_genre AS g "
        "ON g.id = tg.genre_id WHERE tg.track_id = t.id ORDER BY g.id LIMIT 1), ''), "
        "'', t.storage_key, coalesce(round(t.duration), 0)::int, t.created_at, t.updated_at, "
        "t.status = 'ready' AND NOT t.is_hidden "
        "FROM core_track AS t JOIN core_artist AS a ON a.id = t.artist_id",
    ),
    (
        "core_playhistory (id, user_id, track_id, played_at)",
        f"SELECT id, user_id, {_uuid('track_id')}, started_at FROM core_play",  # noqa: S608
    ),
    (
        "core_favorite (id, user_id, track_id, created_at)",
        f"SELECT id, user_id, {_uuid('track_id')}, created_at FROM core_favorite",  # noqa: S608
    ),
    (
        "core_playlist (id, user_id, name, is_public, created_at, updated_at)",
        f"SELECT {_uuid('id')}, owner_id, left(name, 100), is_public, created_at, updated_at "  # noqa: S608
        "FROM core_playlist",
    ),
    (
        'core_playlisttrack (id, playlist_id, track_id, "order", added_at)',
        f"SELECT id, {_uuid('playlist_id')}, {_uuid('track_id')}, "  # noqa: S608
        "row_number() OVER (PARTITION BY playlist_id ORDER BY position) - 1, added_at "
        "FROM (SELECT DISTINCT ON (playlist_id, track_id) * FROM core_playlistitem "
        "ORDER BY playlist_id, track_id, position) AS items",
    ),
]
SEQUENCES = ["core_user", "core_playhistory", "core_favorite", "core_playlisttrack"]


def peer_database_url(database_url: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path=parts.path + "_peer"))


def peer_env(peer: Path, database_url: str, s3_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AWS_", "DATABASE_"))
    }
    env.update(
        {
            "PYTHONPATH": f"{OVERLAY}{os.pathsep}{peer}",
            "DJANGO_SETTINGS_MODULE": "peer_settings",
            "PEER_DATABASE_URL": database_url,
            "SECRET_KEY": "bench-only-peer-secret-key-not-for-production",
            "DEBUG": "0",
            "AWS_ENDPOINT_URL": s3_url,
            "AWS_REGION": "us-east-1",
            "AWS_S3_BUCKET": "peer-bench",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench-secret",
            "AWS_S3_AUDIO_PREFIX": "",
        }
    )
    return env


def _peer_python(env: dict[str, str], peer: Path, code: str) -> str:
    completed = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", code], cwd=peer, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode:
        raise RuntimeError(f"The peer failed: {completed.stderr[-3000:]}")
    return completed.stdout


def prepare(peer: Path, source_url: str, target_url: str, env: dict[str, str]) -> None:
    """Create the peer's database, migrate it, and fill it with Tonearm's generated data."""
    import psycopg

    base, _, name = target_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    _peer_python(
        env,
        peer,
        "import django; django.setup(); from django.core import management; "
        "management.call_command('migrate', 'auth', verbosity=0); "
        "management.call_command('migrate', run_syncdb=True, verbosity=0)",
    )
    with psycopg.connect(source_url) as source, psycopg.connect(target_url) as target:
        for table, select in COPIES:
            with (
                source.cursor().copy(f"COPY ({select}) TO STDOUT") as rows,  # type: ignore[arg-type]
                target.cursor().copy(f"COPY {table} FROM STDIN") as sink,  # type: ignore[arg-type]
            ):
                for chunk in rows:
                    sink.write(chunk)
        for table in SEQUENCES:
            target.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (fixed)
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        target.commit()
        target.execute("ANALYZE")


def peer_tokens(env: dict[str, str], peer: Path, user_ids: list[int]) -> list[str]:
    code = (
        "import json, django; django.setup()\n"
        "from rest_framework_simplejwt.tokens import AccessToken\n"
        "from core.models import User\n"
        f"ids = {user_ids!r}\n"
        "users = User.objects.in_bulk(ids)\n"
        "print(json.dumps([str(AccessToken.for_user(users[i])) for i in ids]))\n"
    )
    return json.loads(_peer_python(env, peer, code).strip().splitlines()[-1])


class S3Server:
    """moto's S3 server, for the peer's boto3 client (presigning does not call it)."""

    def __init__(self, log: Path):
        self.port = load.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter)
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def __enter__(self) -> "S3Server":
        import boto3

        deadline = time.monotonic() + 30
        while True:
            try:
                boto3.client(
                    "s3",
                    endpoint_url=self.url,
                    region_name="us-east-1",
                    aws_access_key_id="bench",
                    aws_secret_access_key="bench-secret",  # noqa: S106 (moto accepts any)
                ).create_bucket(Bucket="peer-bench")
                return self
            except Exception:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.3)

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self._log.close()


def _wrk(server: load.Server, script: Path, args: argparse.Namespace) -> dict:
    options = {"connections": args.connections, "threads": args.threads}
    if args.warmup:
        load.run_wrk(server.base_url, script, duration=args.warmup, **options)
    return load.run_wrk(server.base_url, script, duration=args.duration, **options)


def compare(servers: dict, scripts: dict, endpoints: list[str], args) -> dict:
    """Each endpoint on both servers, in alternating order from round to round."""
    runs: dict[str, dict[str, list[dict]]] = {
        name: {"tonearm": [], "peer": []} for name in endpoints
    }
    for round_number in range(1, args.rounds + 1):
        order = ["tonearm", "peer"] if round_number % 2 else ["peer", "tonearm"]
        for name in endpoints:
            for side in order:
                runs[name][side].append(_wrk(servers[side], scripts[side][name], args))
            print(
                f"  round {round_number} {name}: Tonearm {runs[name]['tonearm'][-1]['rps']}, "
                f"peer {runs[name]['peer'][-1]['rps']} req/s",
                flush=True,
            )
    summary = {}
    for name, sides in runs.items():
        ratios = [
            t["rps"] / p["rps"]
            for t, p in zip(sides["tonearm"], sides["peer"], strict=True)
            if p["rps"]
        ]
        entry: dict = {"ratio": round(statistics.median(ratios), 2) if ratios else None}
        for side, rounds in sides.items():
            entry[side] = {
                **{
                    key: round(statistics.median(run[key] for run in rounds), 2)
                    for key in ("rps", "p50", "p95", "p99")
                },
                **{
                    key: sum(run[key] for run in rounds)
                    for key in ("requests", "errors", "non_2xx")
                },
                "rounds": [run["rps"] for run in rounds],
            }
        summary[name] = entry
        print(f"  {name}: {entry}", flush=True)
    return summary


def render(result: dict) -> str:
    lines = [
        f"# Tonearm vs the peer ({result['scale']}, {result['date']})",
        "",
        f"Tonearm {result['commit']}, peer {result['peer']['repository']} at "
        f"{result['peer']['commit']}. {result['method']['load']}.",
        f"Load average before {result['load_average_before']}, "
        f"after {result['load_average_after']}.",
        "",
        "| endpoint | Tonearm req/s | peer req/s | ratio | Tonearm p50 ms | peer p50 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, entry in result["endpoints"].items():
        t, p = entry["tonearm"], entry["peer"]
        lines.append(
            f"| {name} | {t['rps']} | {p['rps']} | {entry['ratio']}x | {t['p50']} | {p['p50']} |"
        )
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> Path:
    from bench.run import fixture, git_commit, load_average, machine

    env = apply()
    setup_django()
    data, _ = fixture()
    from core.accounts.models import User

    user_ids = list(
        User.objects.filter(username__startswith="bench")
        .order_by("pk")
        .values_list("pk", flat=True)[: len(data.tokens)]
    )
    peer = Path(args.peer).resolve()
    if not (peer / "core" / "views.py").exists():
        raise SystemExit(f"{peer} is not a checkout of the peer (no core/views.py)")
    spec = load.ServerSpec.parse(args.server)
    endpoints = args.endpoints.split(",") if args.endpoints else ENDPOINTS
    target_url = peer_database_url(env["DATABASE_URL"])
    result: dict = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "commit": git_commit(),
        "peer": {"repository": "github.com/Kochiya35/Music_Streming", "commit": PEER_COMMIT},
        "machine": machine(),
        "method": {
            "server": f"gunicorn {spec}{load.connection_cap(spec, args.connections)}, both",
            "load": f"gunicorn {spec} each; wrk -t{args.threads} -c{args.connections} "
            f"-d{args.duration}s after a {args.warmup}s warm-up, {len(data.tokens)} listeners' "
            f"tokens; {args.rounds} rounds, Tonearm and the peer in alternating order, "
            "ratio = median of Tonearm/peer per round",
        },
    }
    with tempfile.TemporaryDirectory(prefix="tonearm-peer-") as scratch_name:
        scratch = Path(scratch_name)
        with S3Server(scratch / "s3.log") as s3:
            penv = peer_env(peer, target_url, s3.url)
            print("Filling the peer's database from Tonearm's", flush=True)
            prepare(peer, env["DATABASE_URL"], target_url, penv)
            tokens = peer_tokens(penv, peer, user_ids)
            peer_data = load.Fixture(
                tokens=tokens,
                playlists=data.playlists,
                heavy_token=tokens[0],
                tracks=data.tracks,
                search=data.search,
            )
            scripts = {
                "tonearm": {n: load.lua_script(n, data, scratch) for n in endpoints},
                "peer": {
                    n: load.lua_script(n, peer_data, scratch, bodies=PEER_ENDPOINTS, prefix="peer-")
                    for n in endpoints
                },
            }
            result["load_average_before"] = load_average()
            with (
                load.Server(
                    spec, env, scratch / "tonearm.log", connections=args.connections
                ) as tonearm,
                load.Server(
                    spec,
                    penv,
                    scratch / "peer.log",
                    app="config.wsgi:application",
                    cwd=peer,
                    connections=args.connections,
                ) as peer_server,
            ):
                result["endpoints"] = compare(
                    {"tonearm": tonearm, "peer": peer_server}, scripts, endpoints, args
                )
            result["load_average_after"] = load_average()
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    stem = f"{result['date'][:10]}-{args.scale}-peer" + (f"-{args.tag}" if args.tag else "")
    path = output / f"{stem}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    (output / f"{stem}.md").write_text(render(result))
    print(render(result))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", required=True, help="checkout of the peer at commit 27e2e74")
    parser.add_argument("--scale", default="small", help="label of the generated data")
    parser.add_argument("--server", default="gthread:3x4", help="gthread:WxT or sync:W")
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=1, help="seconds before each run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--endpoints", default="", help="comma-separated, default all")
    parser.add_argument("--tag", default="", help="suffix of the result files")
    parser.add_argument("--output", default=str(RESULTS_DIR))
    args = parser.parse_args()
    started = time.perf_counter()
    path = run(args)
    print(f"Wrote {path} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
