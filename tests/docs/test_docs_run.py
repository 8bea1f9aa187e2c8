"""The README walk-through and every curl example of docs/api.md run, against the run command's
server on the demo data: a changed route, field or demo track breaks this test, not the reader.

Each ```sh block runs in bash (`set -euo pipefail`), in order, with the variables the blocks
before it set (as a reader's terminal keeps them). Every HTTP answer must be one the comment
above the command names, or a 2xx where it names none; no `jq -r` may print `null`.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from core.management.commands.seed_demo import DEMO_TRACKS
from tests.docs.markdown import Block, shell_blocks

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED_BASE = "http://127.0.0.1:8000"
# Every curl also reports its answer's status, and the line it was called from, on stderr.
PRELUDE = """set -euo pipefail
curl() { command curl -w "%{stderr}@@ %{http_code} ${BASH_LINENO[0]}\\n" "$@"; }
[ ! -f "$DOCS_STATE" ] || . "$DOCS_STATE"
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return json.load(response)
    except OSError:
        return None


def _wait_for(condition, *, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {seconds} s; the run command said:\n{log.read_text()}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """scripts/run.sh itself, on a free port, its files in a temporary folder: migrated, seeded,
    serving, with its worker, once every demo track is ready."""
    # SQLite in memory-backed /tmpfs where there is one: the migrations' writes are most of a start.
    shm = Path("/dev/shm")
    home = Path(tempfile.mkdtemp(prefix="tonearm-docs-", dir=shm if shm.is_dir() else None))
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "VENV": str(Path(sys.executable).parent.parent),
        "PORT": str(port),
        "DATA_DIR": str(home / "var"),
        "LOCAL_ENV_FILE": str(home / "local.env"),
    }
    log = home / "run.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            ["bash", "scripts/run.sh"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        _wait_for(lambda: _get_json(f"{base}/healthz"), seconds=300, what="no server", log=log)
        print(f"serving after {time.monotonic() - started:.0f} s")
        ready = f"{base}/api/tracks/?page_size=100"
        _wait_for(
            lambda: (_get_json(ready) or {}).get("count") == len(DEMO_TRACKS),
            seconds=300,
            what="demo tracks not ready",
            log=log,
        )
        print(f"demo ready after {time.monotonic() - started:.0f} s")
        yield base, env, log
    finally:
        # run.sh stops its server, worker and sweep on SIGTERM.
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(home, ignore_errors=True)


def _run(
    block: Block, *, base: str, workdir: Path, state: Path, names: list[str]
) -> subprocess.CompletedProcess:
    """Runs the block after the blocks before it, then keeps the variables `names` for the next."""
    script = workdir / "block.sh"
    script.write_text(
        block.text.replace(DOCUMENTED_BASE, base)
        + f'\ndeclare -p {" ".join(names)} > "$DOCS_STATE" 2>/dev/null || true\n'
    )
    prelude = workdir / "prelude.sh"
    prelude.write_text(PRELUDE)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(workdir),
        "BASH_ENV": str(prelude),
        "DOCS_STATE": str(state),
    }
    return subprocess.run(
        ["bash", str(script)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _answers(stderr: str) -> list[tuple[int, int]]:
    """(status, line in the block) of each curl call."""
    answers = []
    for line in stderr.splitlines():
        if line.startswith("@@ "):
            _, status, called_from = line.split()
            answers.append((int(status), int(called_from)))
    return answers


def _check(block: Block, result: subprocess.CompletedProcess) -> list[str]:
    problems = []
    where = f"{block}"
    if result.returncode != 0:
        problems.append(f"{where}: exit status {result.returncode}\n{result.stderr}")
    for status, line in _answers(result.stderr):
        announced = block.statuses_announced_for(line)
        expected = announced or set(range(200, 300))
        if status not in expected:
            problems.append(f"{where}, line {line} of the block: HTTP {status}, not {announced}")
    if "null" in result.stdout.splitlines():
        problems.append(f"{where}: printed null\n{result.stdout}")
    return problems


def _check_the_run_command(base: str, env: dict[str, str], log: Path) -> None:
    """Debug pages and demo passwords stay on this machine; manage.py beside the server takes the
    settings it chose, typed in a terminal that has none of them set."""
    port = base.rsplit(":", 1)[1]
    assert f"Starting development server at http://127.0.0.1:{port}/" in log.read_text()
    show = "from django.conf import settings; print(settings.DEBUG, settings.DATA_DIR)"
    terminal = {"PATH": os.environ["PATH"], "LOCAL_ENV_FILE": env["LOCAL_ENV_FILE"]}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=ROOT,
        env=terminal,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"True {env['DATA_DIR']}"


def test_the_readme_walk_through_and_the_api_examples_run_against_the_demo(demo_server, tmp_path):
    base, run_env, log = demo_server
    _check_the_run_command(base, run_env, log)
    state = tmp_path / "state.sh"
    outputs: dict[str, str] = {}  # by block
    problems: list[str] = []
    blocks = shell_blocks(ROOT / "README.md") + shell_blocks(ROOT / "docs" / "api.md")
    names: set[str] = set()
    for block in blocks:
        if block.path.name == "README.md":
            state.unlink(missing_ok=True)  # the README's walk-through stands alone
            names.clear()
        names.update(block.assigned)
        result = _run(block, base=base, workdir=tmp_path, state=state, names=sorted(names))
        problems += _check(block, result)
        outputs[str(block)] = result.stdout

    assert not problems, "\n\n".join(problems)
    readme = "".join(out for name, out in outputs.items() if name.startswith("README"))
    api = "".join(out for name, out in outputs.items() if name.startswith("api"))
    # What the walk-throughs say their commands print.
    for printed in ('"status": "processing"', '"status": "ready"', '"title": "Three Thirty"'):
        assert printed in readme
    assert (tmp_path / "three-thirty.m4a").read_bytes()[4:8] == b"ftyp"  # the AAC variant
    for printed in (
        '"username":"carol"',  # registered, profile
        '"title": "A440"',  # catalog search and detail
        '"title": "Octave Up"',  # edited by its uploader
        '"title": "Blue in Green"',  # uploaded, processed, found
        '"counted":true',  # a listen past half the track
        '"code":"stale_snapshot"',  # the second device's reorder
        '"name":"Sunday morning"',  # found in the public directory
    ):
        assert printed in api, printed
    assert "100" in api.splitlines()  # the Range request's bytes
