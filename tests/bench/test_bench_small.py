"""The benchmark's small run works end to end and writes a complete report (no timing asserted)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from bench.load import ENDPOINTS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench_database_url():
    """A fresh database on the test server, dropped afterwards; the bench commits its rows."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("The benchmark runs on PostgreSQL only: run this test with scripts/test.sh")
    base, _, _ = os.environ["DATABASE_URL"].rpartition("/")
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _bench(module: str, database_url: str, *args: str) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATA_DIR"}
    }
    env["DATABASE_URL"] = database_url
    subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, check=True, timeout=240
    )


def test_small_run_reports_every_endpoint_with_its_figures(bench_database_url, tmp_path):
    _bench("bench.generate", bench_database_url, "--scale", "small")
    # The kept totals that album and artist lists page by match the generated tracks (the
    # load runs with triggers off, so the generator fills them).
    with psycopg.connect(bench_database_url) as connection:
        kept, counted = connection.execute(
            "SELECT (SELECT sum(track_count) FROM core_artistplayable), "
            "(SELECT count(*) FROM core_track WHERE status = 'ready' AND NOT is_hidden)"
        ).fetchone()
    assert counted > 0
    assert kept == counted
    _bench(
        "bench.run",
        bench_database_url,
        *("--scale", "small", "--duration", "1", "--warmup", "0", "--connections", "4"),
        *("--rounds", "1"),
        *("--server", "gthread:2x2", "--repeat", "5", "--output", str(tmp_path)),
    )

    [report] = tmp_path.glob("*-small.json")
    result = json.loads(report.read_text())
    assert set(result["endpoints"]) == set(ENDPOINTS)
    for name, figures in result["endpoints"].items():
        assert figures["requests"] > 0, name
        assert figures["rps"] > 0, name
        assert 0 < figures["p50"] <= figures["p95"] <= figures["p99"], name
        # Subsonic's stream answers with the redirect to the audio.
        if name == "subsonic_stream":
            assert figures["status"] == 302, name
        else:
            assert 200 <= figures["status"] < 300, name
        assert figures["non_2xx"] == 0, name
        assert (figures["queries"] > 0) == (name not in {"floor", "floor_bare"}), name
        if name != "floor":
            [single_round] = figures["rounds"]
            assert single_round["floor_rps"] > 0, name
    # The floor ran right before each of the other endpoints.
    assert len(result["endpoints"]["floor"]["rounds"]) == len(ENDPOINTS) - 1
    assert result["endpoints"]["floor"]["floor_ratio"] == 1.0
    assert result["endpoints"]["floor_query"]["queries"] == 1
    costs = result["stream_costs"]
    assert all(
        costs[key] > 0
        for key in ("presign_local_us", "presign_s3_us", "history_insert_us", "stream_service_us")
    )
    curves = result["curves"]
    assert set(curves["playlist_add_by_size"]) == {"100", "1000", "9999"}
    assert set(curves["playlist_reorder_by_size"]) == {"100", "1000", "9999"}
    assert "1000" in curves["history_by_depth"]
    assert len(curves["track_search_by_term"]) == 5
    markdown = tmp_path.joinpath(report.stem + ".md").read_text()
    assert "| stream |" in markdown
    insights = result["insights"]
    assert insights["rebuild_listens"] > 0
    assert all(
        insights[key]["p50"] > 0 for key in ("me_stats_all", "me_recap", "charts_tracks_all_cold")
    )
    assert "| me_stats_12m |" in markdown
