"""The image's HEALTHCHECK reaches /healthz by address, which production's ALLOWED_HOSTS omits."""

import json
import re

from tests.deploy.conftest import ROOT, production_env, run_python

PROBE = """
import django, json
django.setup()
from django.test import Client
answers = {}
for path in ("/healthz", "/readyz", "/api/tracks/"):
    response = Client().get(path, HTTP_HOST="127.0.0.1:8000")
    answers[path] = [response.status_code, response.get("X-Frame-Options")]
print(json.dumps(answers))
"""


def test_the_image_healthcheck_calls_healthz_by_the_loopback_address():
    dockerfile = (ROOT / "Dockerfile").read_text()
    healthcheck = dockerfile.split("HEALTHCHECK", 1)[1].split("\n#", 1)[0]

    assert re.search(r"http://127\.0\.0\.1:[^/]+/healthz'", healthcheck)


def test_probes_answer_a_host_not_in_allowed_hosts_without_logging_an_error(tmp_path):
    env = production_env(
        tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL=""
    )

    result = run_python(PROBE, env)

    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.splitlines()[-1])
    assert answers["/healthz"] == [200, "DENY"]  # through every middleware, headers included
    assert answers["/readyz"][0] in {200, 503}  # answered: not refused for its host
    assert answers["/api/tracks/"][0] == 400  # every other path still checks the host
    loggers = [json.loads(line)["logger"] for line in result.stderr.splitlines() if line]
    assert loggers.count("django.security.DisallowedHost") == 1  # the API request's only
