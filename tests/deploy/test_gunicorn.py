"""The production web server (gunicorn with config/gunicorn.py, as the Dockerfile runs it):
several workers only with a shared cache, and X-Forwarded-Proto believed only from
TRUSTED_PROXY_IPS."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import requests

from tests.deploy.conftest import ROOT, production_env

GUNICORN = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    process = subprocess.Popen(GUNICORN, cwd=ROOT, env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read().decode()
            try:
                requests.get(f"{base}/healthz", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def server_env(tmp_path, **overrides: str) -> dict[str, str]:
    return production_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'tonearm.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1",
        PORT=str(free_port()),
        # No collectstatic here: these tests serve no static files, and with the manifest on
        # the server would refuse to start (config/startup.py).
        STATIC_MANIFEST="false",
        **overrides,
    )


def hsts_of_https_claim(base: str) -> str | None:
    response = requests.get(f"{base}/healthz", headers={"X-Forwarded-Proto": "https"}, timeout=5)
    assert response.status_code == 200
    return response.headers.get("Strict-Transport-Security")


def test_several_workers_without_a_shared_cache_refuse_to_start(tmp_path):
    env = server_env(tmp_path, REDIS_URL="", WEB_WORKERS="2")

    result = subprocess.run(
        GUNICORN, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 1
    assert "2 web workers" in result.stderr and "REDIS_URL" in result.stderr


def test_several_workers_may_start_on_redis(settings):
    from config.gunicorn import per_process_cache_problem

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }

    assert per_process_cache_problem(3) is None


def test_one_worker_may_start_on_process_memory(settings):
    from config.gunicorn import per_process_cache_problem

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert per_process_cache_problem(1) is None
    assert "REDIS_URL" in per_process_cache_problem(3)


def test_https_is_believed_from_a_trusted_proxy_only(tmp_path):
    trusted = server_env(tmp_path, REDIS_URL="", WEB_WORKERS="1")
    with serving(trusted) as base:
        assert hsts_of_https_claim(base) is not None

    untrusted = server_env(tmp_path, REDIS_URL="", WEB_WORKERS="1", TRUSTED_PROXY_IPS="10.9.9.9")
    with serving(untrusted) as base:
        assert hsts_of_https_claim(base) is None
