"""Wrong connection settings stop the start with a message naming the variable, not its value."""

import pytest

from tests.deploy.conftest import production_env, run_python

START = "import django; django.setup()"


@pytest.mark.parametrize(
    "url",
    ["http://redis.internal:6379/0", "redis.internal:6379", "localhost", "memcached://c:11211"],
)
def test_a_redis_url_of_another_kind_stops_the_start_naming_redis_url(tmp_path, url):
    result = run_python(START, production_env(tmp_path, REDIS_URL=url))

    assert result.returncode != 0
    assert "REDIS_URL must be a redis://, rediss:// or unix:// URL" in result.stderr


@pytest.mark.parametrize(
    "url",
    ["rediss://:hunter2@redis.internal:6380/0", "unix:///run/redis/redis.sock?db=1"],
)
def test_redis_over_tls_or_a_socket_starts(tmp_path, url):
    result = run_python(START, production_env(tmp_path, REDIS_URL=url))

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "db.internal:5432/tonearm",  # no scheme
        "https://tonearm:hunter2@db.internal/tonearm",  # not a database
        "postgres://tonearm:hunter2@db.internal:port/tonearm",  # port is not a number
    ],
)
def test_a_malformed_database_url_stops_the_start_naming_it_without_its_password(tmp_path, url):
    result = run_python(START, production_env(tmp_path, DATABASE_URL=url))

    assert result.returncode != 0
    assert "DATABASE_URL is not a database URL" in result.stderr
    assert "hunter2" not in result.stderr


def test_a_database_url_without_a_database_name_stops_the_start(tmp_path):
    env = production_env(tmp_path, DATABASE_URL="postgres://tonearm@db.internal:5432/")

    result = run_python(START, env)

    assert result.returncode != 0
    assert "DATABASE_URL names no database" in result.stderr


def test_the_redis_queue_without_redis_stops_the_start(tmp_path):
    result = run_python(START, production_env(tmp_path, TASKS_BACKEND="rq", REDIS_URL=""))

    assert result.returncode != 0
    assert "REDIS_URL must be set when TASKS_BACKEND is rq" in result.stderr
