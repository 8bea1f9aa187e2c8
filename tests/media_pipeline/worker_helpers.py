"""Running real worker processes against the test database, for the worker tests."""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def database_url() -> str:
    """The URL of the database this test uses (pytest-django's test database, not the main one)."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("worker tests need PostgreSQL (run them through scripts/test.sh)")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    """The environment a worker needs to see this test's database and storage."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "LOCAL_STORAGE_ROOT": str(settings.LOCAL_STORAGE_ROOT),
        "STORAGE_BACKEND": "local",
        "PIPELINE_HEARTBEAT_SECONDS": "1",
        "LOG_LEVEL": "INFO",
        **extra,
    }
    return env


def s3_worker_env(**extra: str) -> dict[str, str]:
    """`worker_env` on the S3 store this test uses (the `s3_storage` fixture's moto server)."""
    return worker_env(
        STORAGE_BACKEND="s3",
        AWS_S3_ENDPOINT_URL=settings.AWS_S3_ENDPOINT_URL,
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_S3_REGION_NAME=settings.AWS_S3_REGION_NAME,
        AWS_ACCESS_KEY_ID=settings.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY=settings.AWS_SECRET_ACCESS_KEY,
        AWS_STORAGE_BUCKET_NAME=settings.AWS_STORAGE_BUCKET_NAME,
        **extra,
    )


def manage(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start `manage.py <args>` in the background, its output going to `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


def run_batch_worker(env: dict[str, str], log: Path, *, timeout: float = 120) -> None:
    """Run the database worker until the queue is empty."""
    proc = manage(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0.1",
        env=env, log=log,
    )  # fmt: skip
    try:
        assert proc.wait(timeout=timeout) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def wait_for(predicate, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")
