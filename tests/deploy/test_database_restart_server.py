"""A production server (gunicorn) through a PostgreSQL restart: 503 with Retry-After while the
database is down, one log line for the outage, and 200 again once it is back."""

import subprocess
import sys
import time

import requests

from tests.deploy.conftest import ROOT, manage, production_env
from tests.postgres_server import PostgresServer, free_port

ENDPOINTS = ["/api/tracks/", "/api/genres/", "/api/playlists/public/"]


def get(url: str) -> requests.Response:
    return requests.get(url, timeout=30)


def wait_for_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            requests.get(url, timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):
            # Not listening yet, or its worker still starting.
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_server_answers_503_while_the_database_restarts_and_200_after(
    tmp_path,
    postgres_server: PostgresServer,
):
    env = production_env(
        tmp_path,
        DATABASE_URL=postgres_server.url,
        REDIS_URL="",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        NUM_PROXIES="0",
        LOG_FORMAT="text",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    assert manage("migrate", "--no-input", env=env).returncode == 0
    assert manage("collectstatic", "--no-input", "--verbosity", "0", env=env).returncode == 0
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
         "--worker-class", "gthread"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/healthz")
        # The server holds its connections open between requests (DATABASE_CONN_MAX_AGE).
        assert [get(base + path).status_code for path in ENDPOINTS] == [200] * 3

        postgres_server.stop()
        down = [get(base + path) for path in ENDPOINTS * 3]

        postgres_server.start()
        postgres_server.wait_until_ready()
        back = [get(base + path).status_code for path in ENDPOINTS]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    assert [response.status_code for response in down] == [503] * 9
    assert all(response.headers["Retry-After"] == "5" for response in down)
    assert all(response.json()["code"] == "database_unavailable" for response in down)
    assert back == [200] * 3
    output = (tmp_path / "server.log").read_text()
    assert output.count("Database unavailable") == 1, output
    assert output.count("Database available again") == 1, output
    assert "Traceback" not in output, output
