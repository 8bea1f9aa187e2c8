"""Running Tonearm's real settings (config.settings) in a fresh process, as a server starts."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = 9  # discard: nothing listens on it


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """What an operator sets in production, and nothing inherited from the test settings."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOCAL_ENV_FILE": "",  # not what scripts/run.sh wrote in this checkout
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "APP_PASSWORD_KEYS": "dGVzdC1rZXktZm9yLWFwcC1wYXNzd29yZHMtMzJieXQ=",
        "ALLOWED_HOSTS": "tonearm.example.com",
        "DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": "postgres://tonearm:secret@db.internal:5432/tonearm",
        "REDIS_URL": "redis://redis.internal:6379/0",
        "STORAGE_BACKEND": "local",
        "LOCAL_STORAGE_ROOT": str(tmp_path / "storage"),
        "PUBLIC_BASE_URL": "https://tonearm.example.com",
        "NUM_PROXIES": "1",
    }
    env.update(overrides)
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def migrated_sqlite(tmp_path: Path) -> dict[str, str]:
    """The embedded default's environment (SQLite, local storage, no Redis), its database
    migrated: what a fresh `scripts/run.sh` serves."""
    env = production_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'tonearm.sqlite3'}",
        REDIS_URL="",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
    )
    migrated = manage("migrate", "--no-input", env=env)
    assert migrated.returncode == 0, migrated.stderr
    return env
