""".env.example lists exactly the variables the settings read."""

import os
import re
import subprocess
import sys

from tests.deploy.conftest import ROOT

# Read by the settings but deliberately not offered to operators.
NOT_FOR_OPERATORS = {"BENCH_ENDPOINTS"}  # the benchmark server's floor endpoint, never production
# Listed for docker-compose.yml's services, not read by Tonearm.
STACK_ONLY_VARIABLES = {"POSTGRES_PASSWORD", "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"}


def settings_variables() -> set[str]:
    text = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r'env_[a-z]+\(\s*"([A-Z0-9_]+)"', text))


def env_example_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    # `# NAME=value`: listed, left unset (its default depends on where Tonearm runs).
    return set(re.findall(r"^(?:# )?([A-Z0-9_]+)=", text, re.MULTILINE))


def test_every_setting_read_from_the_environment_is_listed_in_env_example():
    assert settings_variables() - NOT_FOR_OPERATORS - env_example_variables() == set()


def test_env_example_lists_no_variable_the_settings_ignore():
    assert env_example_variables() - STACK_ONLY_VARIABLES - settings_variables() == set()


def sourced_env_example(*, after: str = "") -> subprocess.CompletedProcess:
    """`.env.example` sourced by bash as its first lines say, then `after` run."""
    script = f"set -euo pipefail; set -a; . ./.env.example; set +a; {after}"
    return subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_env_example_can_be_sourced_by_a_shell_and_sets_every_variable_it_lists():
    result = sourced_env_example(after="env -0")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    sourced = dict(line.split("=", 1) for line in result.stdout.split("\0") if "=" in line)
    text = (ROOT / ".env.example").read_text()
    assert set(re.findall(r"^([A-Z0-9_]+)=", text, re.MULTILINE)) <= sourced.keys()
    # Where files go is left to each place: the Docker image's DATA_DIR=/data stands.
    assert not {"DATA_DIR", "LOCAL_STORAGE_ROOT", "DATABASE_URL"} & sourced.keys()
    assert sourced["DATABASE_SESSION_OPTIONS"] == (
        "-c enable_memoize=off -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"
    )


def test_the_settings_start_from_the_sourced_env_example():
    check = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    result = sourced_env_example(
        after=(
            "DEBUG=true DATABASE_URL=postgres://tonearm@db.internal:5432/tonearm "
            f'DJANGO_SETTINGS_MODULE=config.settings {sys.executable} -c "{check}"'
        )
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "-c enable_memoize=off -c max_parallel_workers_per_gather=0 -c random_page_cost=1.1"
    )
