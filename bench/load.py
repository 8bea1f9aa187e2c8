"""Load runs: the API in a real server process, wrk in another, one Lua script per endpoint."""

import json
import math
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lua for each endpoint: `tok` is a random listener's token, `own` the id of that listener's
# playlist, `track` a random playable track id, `key` that listener's app password (Subsonic's
# apiKey). Each returns method, path, body.
ENDPOINTS: dict[str, str] = {
    "floor": 'return "GET", "/api/bench/floor/", nil',
    "floor_bare": 'return "GET", "/api/bench/floor/bare/", nil',
    "floor_query": 'return "GET", "/api/bench/floor/query/", nil',
    "stream": 'return "POST", "/api/tracks/" .. track .. "/stream/", "{}"',
    # A Subsonic app's stream: the redirect to the audio (302), not followed.
    "subsonic_stream": (
        'return "GET", "/rest/stream?id=tr-" .. track .. "&apiKey=" .. key .. '
        '"&c=bench&v=1.16.1", nil'
    ),
    "track_list": 'return "GET", "/api/tracks/", nil',
    "track_search": 'return "GET", "/api/tracks/?search=" .. search, nil',
    "track_filter": 'return "GET", "/api/tracks/?genre=7&year_min=1990&year_max=2000", nil',
    "favorite_toggle": 'return "POST", "/api/tracks/" .. track .. "/toggle_favorite/", nil',
    "history": 'return "GET", "/api/history/", nil',
    "playlist_add": (
        'return "POST", "/api/playlists/" .. own .. "/add/", '
        '\'{"track_id": \' .. track .. \', "position": \' .. math.random(0, 9) .. "}"'
    ),
    "playlist_reorder": (
        'return "POST", "/api/playlists/" .. own .. "/reorder/", '
        "'{\"range_start\": ' .. math.random(0, 4) .. ', \"insert_before\": ' "
        '.. math.random(6, 10) .. "}"'
    ),
}
# The history endpoint reads the deep history of the first bench user only.
HEAVY_ONLY = {"history"}

LUA_TEMPLATE = """
local tokens = {%(tokens)s}
local playlists = {%(playlists)s}
local keys = {%(keys)s}
local tracks = %(tracks)d
local search = "%(search)s"
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter * 7919)
end

function init(args)
  math.randomseed(seed)
end

local function target(tok, own, track, key)
  %(body)s
end

function request()
  local i = math.random(#tokens)
  local track = math.random(tracks)
  -- Ids ending in 03 are processing and 05 hidden: not playable (see bench/generate.py).
  if track %% 100 == 3 or track %% 100 == 5 then track = track + 1 end
  local method, path, body = target(tokens[i], playlists[i], track, keys[i])
  local headers = {["Authorization"] = "Bearer " .. tokens[i]}
  if body then headers["Content-Type"] = "application/json" end
  return wrk.format(method, path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "errors": %%d, "non_2xx": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass(frozen=True)
class Fixture:
    """What the load needs to know of the generated data."""

    tokens: list[str]
    playlists: list[int]
    heavy_token: str
    tracks: int
    search: str
    app_keys: tuple[str, ...] = ()  # each listener's app password, in the tokens' order


@dataclass(frozen=True)
class ServerSpec:
    """`gthread:3x4` (workers x threads), `sync:5`."""

    kind: str
    workers: int
    threads: int

    @classmethod
    def parse(cls, text: str) -> "ServerSpec":
        kind, _, size = text.partition(":")
        workers, _, threads = size.partition("x")
        return cls(kind, int(workers or os.cpu_count() or 2), int(threads or 1))

    def __str__(self) -> str:
        return f"{self.kind}:{self.workers}x{self.threads}"

    def worker_connections(self, connections: int) -> int:
        """The most connections one gthread worker takes when the load opens `connections`.

        gunicorn's workers accept from one shared socket, and the first to wake takes what it
        can: wrk's connections, opened at once, all went to one worker in two of four runs
        checked, which then measured one core of the machine (a worker runs Python on one core
        at a time). With this cap every worker takes at most its share beyond its threads, so at
        least two workers hold enough connections to keep their threads busy, and a worker's
        idle keep-alive connections (its cap less its threads) are never closed."""
        return self.threads + math.ceil(connections / self.workers)

    def command(
        self, port: int, app: str = "bench.wsgi:application", *, connections: int | None = None
    ) -> list[str]:
        base = [sys.executable, "-m", "gunicorn", app]
        base += ["--bind", f"127.0.0.1:{port}", "--workers", str(self.workers)]
        if self.kind == "gthread":
            base += ["--worker-class", "gthread", "--threads", str(self.threads)]
            if connections:
                base += ["--worker-connections", str(self.worker_connections(connections))]
            return base
        if self.kind == "sync":
            return [*base, "--worker-class", "sync"]
        raise SystemExit(f"Unknown server kind {self.kind!r}: use gthread or sync")


def connection_cap(spec: ServerSpec, connections: int) -> str:
    """How the method line names the per-worker connection cap (gthread only)."""
    if spec.kind != "gthread":
        return ""
    return f", at most {spec.worker_connections(connections)} connections a worker"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """The API under gunicorn, in its own process group, stopped on exit."""

    def __init__(
        self,
        spec: ServerSpec,
        env: dict[str, str],
        log: Path,
        *,
        app: str = "bench.wsgi:application",
        cwd: Path = ROOT,
        connections: int | None = None,
    ):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._log = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            spec.command(self.port, app, connections=connections),
            cwd=cwd,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The server exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("The server did not answer /healthz in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def __enter__(self) -> "Server":
        self.wait_ready()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def lua_script(
    endpoint: str,
    fixture: Fixture,
    directory: Path,
    *,
    bodies: dict[str, str] = ENDPOINTS,
    prefix: str = "",
) -> Path:
    """The wrk script of `endpoint`; `bodies` and `prefix` serve another server (bench/peer.py)."""
    tokens = [fixture.heavy_token] if endpoint in HEAVY_ONLY else fixture.tokens
    playlists = fixture.playlists[:1] if endpoint in HEAVY_ONLY else fixture.playlists
    path = directory / f"{prefix}{endpoint}.lua"
    path.write_text(
        LUA_TEMPLATE
        % {
            "tokens": ", ".join(f'"{token}"' for token in tokens),
            "playlists": ", ".join(str(pk) for pk in playlists),
            "keys": ", ".join(f'"{key}"' for key in fixture.app_keys),
            "tracks": fixture.tracks,
            "search": fixture.search,
            "body": bodies[endpoint],
        }
    )
    return path


def run_wrk(base_url: str, script: Path, *, duration: int, connections: int, threads: int) -> dict:
    """One wrk run; latencies in milliseconds, throughput in requests per second."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (scripts/bench.sh does)")
    command = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{duration}s"]
    completed = subprocess.run(  # noqa: S603 (wrk with our own arguments)
        [*command, "--timeout", "10s", "-s", str(script), base_url],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode:
        raise RuntimeError(f"wrk failed: {completed.stdout} {completed.stderr}")
    output = completed.stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        **{key: round(raw[f"{key}_us"] / 1000, 2) for key in ("p50", "p95", "p99", "max")},
        "errors": raw["errors"],
        "non_2xx": raw["non_2xx"],
    }


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer (Subsonic's stream): not followed, it comes as an HTTPError."""

    def redirect_request(self, *args, **kwargs):
        return None


_NOT_FOLLOWING = urllib.request.build_opener(_KeepRedirects)


def queries_per_request(base_url: str, script_kind: str, fixture: Fixture) -> tuple[int, int]:
    """SQL queries of one request to the endpoint (median of 3) and its status code."""
    token = fixture.heavy_token if script_kind in HEAVY_ONLY else fixture.tokens[0]
    own = fixture.playlists[0]
    key = fixture.app_keys[0] if fixture.app_keys else ""
    counts, status = [], 0
    for attempt in range(3):
        track = 1 + (fixture.tracks // 2) + attempt * 10
        method, path, body = {
            "floor": ("GET", "/api/bench/floor/", None),
            "floor_bare": ("GET", "/api/bench/floor/bare/", None),
            "floor_query": ("GET", "/api/bench/floor/query/", None),
            "stream": ("POST", f"/api/tracks/{track}/stream/", b"{}"),
            "subsonic_stream": (
                "GET",
                f"/rest/stream?id=tr-{track}&apiKey={key}&c=bench&v=1.16.1",
                None,
            ),
            "track_list": ("GET", "/api/tracks/", None),
            "track_search": ("GET", f"/api/tracks/?search={fixture.search}", None),
            "track_filter": ("GET", "/api/tracks/?genre=7&year_min=1990&year_max=2000", None),
            "favorite_toggle": ("POST", f"/api/tracks/{track}/toggle_favorite/", None),
            "history": ("GET", "/api/history/", None),
            "playlist_add": ("POST", f"/api/playlists/{own}/add/", b'{"track_id": %d}' % track),
            "playlist_reorder": (
                "POST",
                f"/api/playlists/{own}/reorder/",
                b'{"range_start": 0, "insert_before": 3}',
            ),
        }[script_kind]
        request = urllib.request.Request(  # noqa: S310 (our own server)
            base_url + path, data=body, method=method
        )
        request.add_header("Authorization", f"Bearer {token}")
        request.add_header("X-Bench-Queries", "count")  # bench/middleware.py counts this one
        if body:
            request.add_header("Content-Type", "application/json")
        try:
            with _NOT_FOLLOWING.open(request, timeout=10) as response:
                status = response.status
                counts.append(int(response.headers.get("X-Bench-Queries", 0)))  # none: bare
        except urllib.error.HTTPError as error:
            status = error.code
            counts.append(int(error.headers.get("X-Bench-Queries", -1)))
    return sorted(counts)[1], status
