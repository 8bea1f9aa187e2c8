"""Run the benchmark against a generated database and write its report.

    DATABASE_URL=postgres://... python -m bench.run --scale small [--duration 10]

Starts the API under gunicorn (bench endpoints on), runs wrk against every hot endpoint in
turn, each right after the floor, for a few rounds, reads each endpoint's SQL query count
from the X-Bench-Queries header, then measures the stream's unavoidable costs and the scaling
curves in-process. Writes bench/results/<date>-<scale>.json and .md (see bench/report.py).
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench import load, report
from bench.settings_env import apply, setup_django

RESULTS_DIR = Path(__file__).resolve().parent / "results"
# Listeners whose tokens the load uses; each also owns a 10-item playlist.
LOAD_USERS = 50
LOAD_APP_PASSWORD = "bench load"  # noqa: S105 (its name, not a secret)


def machine() -> dict:
    """What the figures were measured on, and how busy the machine was."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024**2, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def fixture() -> tuple[load.Fixture, dict]:
    """Tokens and ids for the load, from the generated data."""
    from django.db import transaction
    from rest_framework_simplejwt.tokens import AccessToken

    from bench.generate import search_word
    from core.accounts.app_passwords import app_password_create
    from core.accounts.models import AppPassword, User
    from core.catalog.models import Track
    from core.playlists.models import Playlist

    users = list(User.objects.filter(username__startswith="bench").order_by("pk")[:LOAD_USERS])
    if not users:
        raise SystemExit("No bench data: run python -m bench.generate first.")
    own = dict(
        Playlist.objects.filter(owner__in=users, name__startswith="mix ").values_list(
            "owner_id", "pk"
        )
    )
    curves = {
        int(name.split()[1]): pk
        for name, pk in Playlist.objects.filter(
            owner=users[0], name__startswith="curve "
        ).values_list("name", "pk")
    }
    tokens = [str(AccessToken.for_user(user)) for user in users]
    with transaction.atomic():  # an app password each, made afresh for every run
        AppPassword.objects.filter(user__in=users, name=LOAD_APP_PASSWORD).delete()
        keys = [app_password_create(user=user, name=LOAD_APP_PASSWORD)[1] for user in users]
    return (
        load.Fixture(
            tokens=tokens,
            playlists=[own[user.pk] for user in users],
            heavy_token=tokens[0],
            tracks=Track.objects.order_by("-pk").values_list("pk", flat=True).first(),
            search=search_word(),
            app_keys=tuple(keys),
        ),
        {"heavy_user": users[0], "listener": users[1], "curve_playlists": curves},
    )


def database_info() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        counts = {}
        for table in ("core_track", "core_play", "core_favorite", "core_playlistitem"):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed names)
            counts[table.removeprefix("core_")] = cursor.fetchone()[0]
    return {"postgresql": version, "rows": counts}


def git_commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        cwd=load.ROOT,
        check=False,
    )
    return result.stdout.strip()


def _wrk(server: load.Server, script: Path, args: argparse.Namespace) -> dict:
    options = {"connections": args.connections, "threads": args.threads}
    if args.warmup:
        load.run_wrk(server.base_url, script, duration=args.warmup, **options)
    return load.run_wrk(server.base_url, script, duration=args.duration, **options)


def measure_endpoints(
    server: load.Server,
    endpoints: list[str],
    data: load.Fixture,
    args: argparse.Namespace,
    scratch: Path,
) -> dict:
    """Each endpoint's figures, medians over `args.rounds` rounds.

    In every round the floor runs right before each endpoint and the endpoint's ratio is to
    that floor run: a shared machine's speed drifts by tens of percent within minutes, so a
    ratio to a floor measured at another moment would measure the drift.
    """
    scripts = {name: load.lua_script(name, data, scratch) for name in {"floor", *endpoints}}
    others = [name for name in endpoints if name != "floor"]
    runs: dict[str, list[dict]] = {name: [] for name in endpoints}
    floors: list[dict] = []
    for round_number in range(1, args.rounds + 1):
        for name in others or ["floor"]:
            floor = _wrk(server, scripts["floor"], args)
            floors.append(floor)
            if name == "floor":
                continue
            figures = _wrk(server, scripts[name], args)
            figures["floor_rps"] = floor["rps"]
            runs[name].append(figures)
            print(
                f"  round {round_number} {name}: {figures['rps']} req/s, "
                f"floor {floor['rps']} req/s, p95 {figures['p95']} ms",
                flush=True,
            )
    if "floor" in runs:
        runs["floor"] = [{**figures, "floor_rps": figures["rps"]} for figures in floors]
    summary = {}
    for name, rounds in runs.items():
        queries, status = load.queries_per_request(server.base_url, name, data)
        summary[name] = {
            **{
                key: round(statistics.median(run[key] for run in rounds), 2)
                for key in ("rps", "p50", "p95", "p99", "max")
            },
            "floor_ratio": round(
                statistics.median(run["rps"] / run["floor_rps"] for run in rounds), 2
            ),
            **{key: sum(run[key] for run in rounds) for key in ("requests", "errors", "non_2xx")},
            "rounds": [{"rps": run["rps"], "floor_rps": run["floor_rps"]} for run in rounds],
            "queries": queries,
            "status": status,
        }
        print(f"  {name}: {summary[name]}", flush=True)
    return summary


def run(args: argparse.Namespace) -> Path:
    env = apply()
    setup_django()
    data, extra = fixture()
    spec = load.ServerSpec.parse(args.server)
    endpoints = args.endpoints.split(",") if args.endpoints else list(load.ENDPOINTS)
    result: dict = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "commit": git_commit(),
        "machine": machine(),
        "database": database_info(),
        "method": {
            "server": f"gunicorn {spec}{load.connection_cap(spec, args.connections)}",
            "load": f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s "
            f"after a {args.warmup}s warm-up, {len(data.tokens)} listeners' tokens; "
            f"{args.rounds} rounds, the floor run right before each endpoint, medians",
            "in_process": f"Django test client, {args.repeat} requests per point after a warm-up",
        },
        "load_average_before": load_average(),
        "endpoints": {},
    }
    if args.only_insights:
        from bench import inprocess

        result["method"]["load"] = "none (--only-insights)"
        result["insights"] = inprocess.insights(
            heavy_user=extra["heavy_user"], token=data.heavy_token, repeat=args.repeat
        )
        result["rollup_costs"] = inprocess.rollup_costs(user=extra["listener"], rounds=3, repeat=40)
        return _write(result, args)
    with tempfile.TemporaryDirectory(prefix="tonearm-bench-") as scratch:
        server = load.Server(spec, env, Path(scratch) / "server.log", connections=args.connections)
        with server:
            result["endpoints"] = measure_endpoints(server, endpoints, data, args, Path(scratch))
    if not args.skip_in_process:
        from bench import inprocess

        result["stream_costs"] = inprocess.stream_costs(
            user=extra["heavy_user"], track_id=data.tracks // 2 + 1
        )
        result["curves"] = inprocess.curves(
            heavy_user=extra["heavy_user"],
            token=data.heavy_token,
            search=data.search,
            playlists=extra["curve_playlists"],
            repeat=args.repeat,
        )
        result["insights"] = inprocess.insights(
            heavy_user=extra["heavy_user"], token=data.heavy_token, repeat=args.repeat
        )
    return _write(result, args)


def _write(result: dict, args: argparse.Namespace) -> Path:
    result["load_average_after"] = load_average()
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    stem = f"{result['date'][:10]}-{args.scale}" + (f"-{args.tag}" if args.tag else "")
    path = output / f"{stem}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    (output / f"{stem}.md").write_text(report.render(result))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", help="label of the generated data")
    parser.add_argument("--server", default="gthread:3x4", help="gthread:WxT or sync:W")
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--warmup", type=int, default=2, help="seconds before each run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="load runs per endpoint")
    parser.add_argument("--endpoints", default="", help="comma-separated, default all")
    parser.add_argument("--skip-in-process", action="store_true")
    parser.add_argument(
        "--only-insights", action="store_true", help="only the in-process insights entry"
    )
    parser.add_argument("--repeat", type=int, default=30, help="in-process samples per point")
    parser.add_argument("--tag", default="", help="suffix of the result files")
    parser.add_argument("--output", default=str(RESULTS_DIR))
    args = parser.parse_args()
    started = time.perf_counter()
    path = run(args)
    print(f"Wrote {path} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
