"""Starting Django with broken configuration fails at once, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def start_django(
    *, code: str = "import django; django.setup()", unset: frozenset = frozenset(), **env: str
) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter with `env` over this one's (SECRET_KEY, DEBUG and
    `unset` removed)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", *unset}}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = start_django(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_number_stops_the_start_and_names_the_variable():
    result = start_django(DEBUG="true", UPLOAD_MAX_BYTES="2GB")
    assert result.returncode != 0
    assert "UPLOAD_MAX_BYTES must be an integer" in result.stderr


def test_debug_mode_starts_with_the_embedded_defaults(tmp_path):
    result = start_django(DEBUG="true", DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
