"""/readyz answers 503 naming the part that cannot be reached: database, storage or queue."""

import json

import pytest
from django.db import connection

from tests.deploy.conftest import CLOSED_PORT, production_env, run_python
from tests.media_pipeline.worker_helpers import database_url

READYZ = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/readyz", secure=True)
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def readyz(tmp_path, **env: str) -> tuple[int, dict]:
    result = run_python(READYZ, production_env(tmp_path, ALLOWED_HOSTS="testserver", **env))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.splitlines()[-1])
    return answer["status"], answer["body"]


def test_readiness_names_the_database_when_it_is_unreachable(tmp_path):
    url = f"postgres://tonearm:secret@127.0.0.1:{CLOSED_PORT}/tonearm"

    status, body = readyz(tmp_path, DATABASE_URL=url, REDIS_URL="")

    assert status == 503
    # The database backend keeps its job queue in that database: both are down.
    assert body["checks"] == {"database": "unavailable", "storage": "ok", "queue": "unavailable"}
    assert body["detail"] == "Not ready: database, queue unavailable."
    assert body["code"] == "service_unavailable"


def test_readiness_names_the_queue_when_redis_is_unreachable(tmp_path, db):
    redis_url = f"redis://127.0.0.1:{CLOSED_PORT}/0"

    status, body = readyz(
        tmp_path, DATABASE_URL=database_url(), TASKS_BACKEND="rq", REDIS_URL=redis_url
    )

    assert status == 503
    assert body["checks"] == {"database": "ok", "storage": "ok", "queue": "unavailable"}
    assert body["detail"] == "Not ready: queue unavailable."


@pytest.fixture
def rq_backend(settings, redis_url):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}


def test_readiness_pings_redis_when_jobs_go_through_it(db, api_client, rq_backend):
    response = api_client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["queue"] == "ok"


def test_readiness_checks_the_job_table_of_the_database_queue(transactional_db, api_client):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE django_tasks_database_dbtaskresult RENAME TO moved_away")
    try:
        response = api_client.get("/readyz")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE moved_away RENAME TO django_tasks_database_dbtaskresult")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "storage": "ok", "queue": "unavailable"}
