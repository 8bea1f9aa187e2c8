"""PostgreSQL sessions start with the planner settings of DATABASE_SESSION_OPTIONS."""

import json
import os

from django.db import connection

from tests.deploy.conftest import production_env, run_python

SHOW_OPTIONS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)


def test_the_apps_sessions_run_with_the_web_planner_settings(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_memoize'), "
            "current_setting('max_parallel_workers_per_gather'), "
            "current_setting('random_page_cost')"
        )
        assert cursor.fetchone() == ("off", "0", "1.1")


def _options(tmp_path, **env) -> dict:
    result = run_python(SHOW_OPTIONS, production_env(tmp_path, **env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_options_given_in_the_database_url_are_kept(tmp_path):
    url = os.environ["DATABASE_URL"] + "?options=-c%20statement_timeout%3D5000"

    options = _options(tmp_path, DATABASE_URL=url)

    assert options["options"].startswith("-c statement_timeout=5000 -c enable_memoize=off ")


def test_empty_session_options_send_none(tmp_path):
    options = _options(
        tmp_path, DATABASE_URL=os.environ["DATABASE_URL"], DATABASE_SESSION_OPTIONS=""
    )

    assert "options" not in options
