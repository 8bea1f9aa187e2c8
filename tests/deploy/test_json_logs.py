"""Production logs are one JSON object per line, with level, logger and message."""

import json

from tests.deploy.conftest import production_env, run_python

REQUEST = """
import django
django.setup()
from django.test import Client
Client().get("/no-such-page/", secure=True)
"""


def test_a_request_logged_in_production_is_a_json_line(tmp_path):
    env = production_env(tmp_path, ALLOWED_HOSTS="testserver")
    env.pop("LOG_FORMAT", None)  # JSON is production's default

    result = run_python(REQUEST, env)

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert {"level": "WARNING", "logger": "django.request"}.items() <= lines[-1].items()
    assert lines[-1]["message"] == "Not Found: /no-such-page/"
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)


def test_text_logs_are_kept_for_those_who_ask(tmp_path):
    env = production_env(tmp_path, ALLOWED_HOSTS="testserver", LOG_FORMAT="text")

    result = run_python(REQUEST, env)

    assert "WARNING django.request Not Found: /no-such-page/" in result.stderr
    assert not result.stderr.lstrip().startswith("{")
