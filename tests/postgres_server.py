"""A PostgreSQL server of a test's own, to stop and restart under running processes without
disturbing the suite's shared database (scripts/postgres.sh starts that one the same way)."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest


def _bindir() -> Path:
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL's initdb is not installed (scripts/test.sh installs it)")
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """initdb'd in a temporary folder, on a free loopback port; start(), stop(), restart()."""

    def __init__(self) -> None:
        self.bindir = _bindir()
        # Not under pytest's tmp_path: the postgres user must be able to reach the folder.
        self.root = Path(tempfile.mkdtemp(prefix="tonearm-test-pg-"))
        self.port = free_port()
        self.url = f"postgres://tonearm@127.0.0.1:{self.port}/tonearm"
        if os.getuid() == 0:
            # PostgreSQL refuses to run as root.
            subprocess.run(["id", "postgres"], check=True, capture_output=True)
            shutil.chown(self.root, "postgres")
            self._as_owner = ["runuser", "-u", "postgres", "--"]
        else:
            self._as_owner = []
        self._run(
            "initdb", "-D", self.data, "-U", "tonearm", "-A", "trust", "--no-sync", "-E", "UTF8"
        )

    @property
    def data(self) -> str:
        return str(self.root / "data")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self._as_owner, str(self.bindir / tool), *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", self.data, "-l", str(self.root / "server.log"), "-w",
                  "-o", options, "start")  # fmt: skip

    def stop(self) -> None:
        """A fast shutdown: sessions are terminated ("terminating connection due to
        administrator command"), as in a restart."""
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def wait_until_ready(self, timeout: float = 30, *, database: str = "tonearm") -> None:
        deadline = time.monotonic() + timeout
        url = self.url.rsplit("/", 1)[0] + f"/{database}"
        while True:
            try:
                psycopg.connect(url, connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def remove(self) -> None:
        subprocess.run(
            [*self._as_owner, str(self.bindir / "pg_ctl"), "-D", self.data, "-m", "immediate",
             "stop"],
            capture_output=True,
            check=False,
        )  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def postgres_server() -> Iterator[PostgresServer]:
    """A running PostgreSQL server of this test's own (database `tonearm`, user `tonearm`)."""
    server = PostgresServer()
    try:
        server.start()
        server.wait_until_ready(database="postgres")
        with psycopg.connect(server.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
            db.execute("CREATE DATABASE tonearm")
        yield server
    finally:
        server.remove()
