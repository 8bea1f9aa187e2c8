"""Each request is logged once, in the one format the settings choose, in debug too."""

import json

from tests.deploy.conftest import production_env, run_python

REQUESTS = """
import django, logging
django.setup()
from django.test import Client
Client().get("/no-such-page/", secure=True)
# What runserver logs for each request it serves.
logging.getLogger("django.server").info('"GET /api/tracks/ HTTP/1.1" 200 948')
"""


def test_a_request_is_logged_once_in_debug(tmp_path):
    env = production_env(tmp_path, DEBUG="true", ALLOWED_HOSTS="testserver", LOG_FORMAT="text")

    result = run_python(REQUESTS, env)

    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Not Found: /no-such-page/") == 1
    assert result.stderr.count('"GET /api/tracks/ HTTP/1.1" 200 948') == 1
    assert "INFO django.server" in result.stderr  # in the chosen format, with its logger


def test_a_request_is_logged_once_as_json_in_production(tmp_path):
    env = production_env(tmp_path, ALLOWED_HOSTS="testserver", LOG_FORMAT="json")

    result = run_python(REQUESTS, env)

    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    messages = [line["message"] for line in lines]
    assert messages.count("Not Found: /no-such-page/") == 1
    assert messages.count('"GET /api/tracks/ HTTP/1.1" 200 948') == 1
