"""The worker and the stale-job sweep keep running through a PostgreSQL restart, and the
worker processes a track registered after it."""

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from tests.media_pipeline.audio_fixtures import tone
from tests.media_pipeline.worker_helpers import ROOT, manage, wait_for
from tests.postgres_server import PostgresServer

REGISTER = """
import sys
from pathlib import Path
import django
django.setup()
from core.processing.jobs import track_process_enqueue
from tests.media_pipeline.audio_fixtures import AudioSample, stored_track
track = stored_track(AudioSample(Path(sys.argv[1]), "audio/flac", 3.0, "flac"))
track_process_enqueue(track_id=track.pk)
print(track.pk)
"""


def env_for(server: PostgresServer, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": server.url,
        "STORAGE_BACKEND": "local",
        "LOCAL_STORAGE_ROOT": str(tmp_path / "storage"),
        "PIPELINE_WORK_DIR": str(tmp_path),
        "PIPELINE_HEARTBEAT_SECONDS": "1",
        "LOG_LEVEL": "INFO",
    }


def python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def track_status(server: PostgresServer, track_id: int) -> str:
    with psycopg.connect(server.url) as db:
        return db.execute("SELECT status FROM core_track WHERE id = %s", [track_id]).fetchone()[0]


def test_worker_and_sweep_outlive_a_database_restart_then_process_a_track(
    tmp_path,
    postgres_server: PostgresServer,
):
    env = env_for(postgres_server, tmp_path)
    migrate = python(["manage.py", "migrate", "--no-input"], env)
    assert migrate.returncode == 0, migrate.stderr
    worker_log, sweep_log = tmp_path / "worker.log", tmp_path / "sweep.log"
    worker = manage("db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1",
                    env=env, log=worker_log)  # fmt: skip
    sweep = manage("sweep_stale_jobs", "--every", "1", env=env, log=sweep_log)
    try:
        wait_for(lambda: "Starting worker" in worker_log.read_text(), timeout=60,
                 what="the worker to start")  # fmt: skip
        time.sleep(1.5)  # both have connected and polled

        postgres_server.stop()
        time.sleep(2)  # both meet the outage: the worker polls every 0.1 s, the sweep every 1 s
        postgres_server.start()
        postgres_server.wait_until_ready()
        time.sleep(2)
        assert (worker.poll(), sweep.poll()) == (None, None), (
            worker_log.read_text() + sweep_log.read_text()
        )

        tone(tmp_path / "tone.flac", seconds=3, codec_args=["-c:a", "flac"],
             metadata={"title": "After the restart"})  # fmt: skip
        register = python(["-c", REGISTER, str(tmp_path / "tone.flac")], env)
        assert register.returncode == 0, register.stderr
        track_id = int(register.stdout.strip().splitlines()[-1])
        wait_for(lambda: track_status(postgres_server, track_id) == "ready", timeout=120,
                 what="the worker to process the track")  # fmt: skip
        assert (worker.poll(), sweep.poll()) == (None, None)
    finally:
        for process in (worker, sweep):
            process.terminate()
        for process in (worker, sweep):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    for log, name in ((worker_log, "worker"), (sweep_log, "stale-job sweep")):
        text = log.read_text()
        assert text.count("waiting for it to return") == 1, text
        assert f"{name} waiting for it to return" in text, text
        assert text.count(f"{name} resuming") == 1, text
        assert "Traceback" not in text, text
