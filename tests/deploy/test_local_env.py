"""manage.py beside scripts/run.sh takes the settings the run command chose, with nothing typed."""

import os
import shutil
import subprocess
import sys

from tests.deploy.conftest import ROOT, manage

SHOW = "from django.conf import settings; print(settings.DEBUG, settings.DATA_DIR)"


def bare_env(**extra: str) -> dict[str, str]:
    """A shell with no Tonearm variable set, as when someone opens a second terminal."""
    return {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **extra}


def write_local_env(path, data_dir) -> None:
    path.write_text(
        "# Written by scripts/run.sh\n"
        "DEBUG=true\n"
        "SECRET_KEY=chosen-by-the-run-command\n"
        f"DATA_DIR={data_dir}\n"
    )


def test_manage_py_takes_the_settings_the_run_command_wrote(tmp_path):
    write_local_env(tmp_path / "local.env", tmp_path / "data")

    result = manage("shell", "-c", SHOW, env=bare_env(LOCAL_ENV_FILE=str(tmp_path / "local.env")))

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"True {tmp_path / 'data'}"


def test_a_variable_set_in_the_environment_wins_over_the_file(tmp_path):
    write_local_env(tmp_path / "local.env", tmp_path / "data")
    env = bare_env(LOCAL_ENV_FILE=str(tmp_path / "local.env"), DATA_DIR=str(tmp_path / "other"))

    result = manage("shell", "-c", SHOW, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"True {tmp_path / 'other'}"


def test_without_the_file_production_still_requires_a_secret_key(tmp_path):
    result = manage("check", env=bare_env(LOCAL_ENV_FILE=str(tmp_path / "missing.env")))

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_manage_py_runs_itself_in_dot_venv_when_the_python_typed_has_no_django(tmp_path):
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    (venv_bin / "python").chmod(0o755)
    system_python = shutil.which("python3", path="/usr/bin:/bin")
    assert subprocess.run([system_python, "-I", "-c", "import django"], check=False).returncode

    result = subprocess.run(
        [system_python, "-I", "manage.py", "--version"],
        cwd=tmp_path,
        env=bare_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("5.2")
