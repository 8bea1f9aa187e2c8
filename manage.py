#!/usr/bin/env python
import os
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent / ".venv"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError:
        # Beside scripts/run.sh, `python manage.py ...` runs in the .venv it made.
        venv_python = VENV / "bin" / "python"
        if Path(sys.prefix).resolve() == VENV.resolve() or not venv_python.exists():
            raise
        os.execv(venv_python, [str(venv_python), *sys.argv])  # noqa: S606 (our own .venv)

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
