"""Import a Spotify Extended Streaming History of --rows rows through the real flow, timed.

    DATABASE_URL=postgres://... python -m bench.history_import --rows 1000000 [--phase ...]

The database needs a catalog to match against (`python -m bench.generate --scale small`).
`--phase prepare` writes the export (a zip of Streaming_History_Audio_YYYY-YYYY_N.json files, as
Spotify writes them), uploads it through the import upload slot on the local storage backend
and starts the import (queued); `--phase run` runs it in a real worker process
(`manage.py db_worker`, as production does), reports the wall time from the job's start to
its end and the worker's peak memory, and checks every count against what the export holds.
`--phase all` (the default) does both. Data generation belongs in a shared window and the run
in a quiet one, hence the phases (docs/benchmarks.md#listening-history-imports).
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import deque
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.settings_env import apply as apply_bench_env

ROOT = Path(__file__).resolve().parents[1]
USERNAME = "bench-history-import"
# Spotify cuts its export into files of about this many rows (about 12 MB each).
ROWS_PER_FILE = 16_000
FOLDER = "Spotify Extended Streaming History"
START = datetime(2016, 1, 1, tzinfo=UTC)

# The mix: of every 1,000 rows about 30 podcast episodes, 5 without track metadata (Spotify's
# rows for local files and withdrawn tracks), 20 exact repeats of an earlier row; of the
# remaining music rows a third are catalog tracks and the rest are not in the catalog; one in
# six is a play of under 30 s (skipped in the player).
PODCAST_SHARE = 0.03
NO_METADATA_SHARE = 0.005
DUPLICATE_SHARE = 0.02
CATALOG_SHARE = 0.33
SHORT_SHARE = 0.16
EXTERNAL_TRACKS = 30_000
PLATFORMS = ("android", "ios", "windows", "osx", "web_player", "linux")
COUNTRIES = ("SE", "DE", "FR", "US", "GB", "NL", "ES")


@dataclass
class Expected:
    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    skipped: int = 0
    matched: int = 0
    counted: int = 0
    podcasts: int = 0
    no_metadata: int = 0
    files: int = 0
    zip_bytes: int = 0


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _catalog() -> list[tuple[str, str, str, int]]:
    """(artist, title, album, duration ms) of the playable catalog tracks."""
    from core.catalog.models import Track

    rows = Track.objects.playable().values_list("artist__name", "title", "album__title", "duration")
    found = [(a, t, al or "", round((d or 200) * 1000)) for a, t, al, d in rows.iterator(5000)]
    if not found:
        raise SystemExit("The database has no playable tracks: run `python -m bench.generate`.")
    return found


def _external(n: int, rng: random.Random) -> list[tuple[str, str, str, int]]:
    """Tracks no catalog has, with the accents, credits and version suffixes of real names."""
    accents = ("", "é", "ø", "ü", "å", "ñ")
    found = []
    for i in range(n):
        artist = f"Elsewhere{accents[i % 6]} Band {i // 12}"
        title = f"Song {i}"
        if i % 7 == 0:
            title += " (feat. Guest Singer)"
        elif i % 11 == 0:
            title += " - 2011 Remaster"
        found.append((artist, title, f"Record {i // 12}", rng.randint(120_000, 360_000)))
    return found


def _spotify_row(
    end: datetime, ms: int, track: tuple | None, rng: random.Random, *, episode: bool
) -> dict:
    """One entry of Streaming_History_Audio_*.json, with Spotify's field names and types."""
    artist, title, album, _ = track or (None, None, None, 0)
    short = ms < 30_000
    return {
        "ts": _iso(end),
        "platform": rng.choice(PLATFORMS),
        "ms_played": ms,
        "conn_country": rng.choice(COUNTRIES),
        "ip_addr": f"198.51.100.{rng.randint(1, 254)}",
        "master_metadata_track_name": title,
        "master_metadata_album_artist_name": artist,
        "master_metadata_album_album_name": album,
        "spotify_track_uri": f"spotify:track:{rng.getrandbits(64):022x}" if track else None,
        "episode_name": "Episode of the day" if episode else None,
        "episode_show_name": "A Daily Show" if episode else None,
        "spotify_episode_uri": f"spotify:episode:{rng.getrandbits(64):022x}" if episode else None,
        "audiobook_title": None,
        "audiobook_uri": None,
        "audiobook_chapter_uri": None,
        "audiobook_chapter_title": None,
        "reason_start": "clickrow" if rng.random() < 0.2 else "trackdone",
        "reason_end": "fwdbtn" if short else "trackdone",
        "shuffle": rng.random() < 0.4,
        "skipped": short,
        "offline": False,
        "offline_timestamp": int(end.timestamp() * 1000) if rng.random() < 0.5 else None,
        "incognito_mode": False,
    }


def build_export(path: Path, *, rows: int, seed: int = 20) -> Expected:
    """Write a Spotify Extended Streaming History export of `rows` rows to `path` (a zip)."""
    import orjson

    rng = random.Random(seed)
    catalog = _catalog()
    external = _external(EXTERNAL_TRACKS, rng)
    expected = Expected(rows=rows)
    # Listens start one after another (a row's start is its end minus what was played), so
    # no two distinct rows share a start: only the repeats are duplicates.
    end = START
    recent: deque[dict] = deque(maxlen=2000)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(f"{FOLDER}/ReadMeFirst_ExtendedStreamingHistory.pdf", b"%PDF-1.4\n")
        for number, first in enumerate(range(0, rows, ROWS_PER_FILE)):
            batch = []
            for _ in range(min(ROWS_PER_FILE, rows - first)):
                draw = rng.random()
                if draw < DUPLICATE_SHARE and recent:
                    batch.append(rng.choice(recent))
                    expected.duplicates += 1
                    continue
                from_catalog = False
                episode = draw < DUPLICATE_SHARE + PODCAST_SHARE
                no_metadata = not episode and draw < (
                    DUPLICATE_SHARE + PODCAST_SHARE + NO_METADATA_SHARE
                )
                if episode or no_metadata:
                    track = None
                    ms = rng.randint(60_000, 1_800_000) if episode else rng.randint(1, 240_000)
                elif from_catalog := rng.random() < CATALOG_SHARE:
                    # Popular tracks more often: a power law over the catalog.
                    track = catalog[int(len(catalog) * rng.random() ** 3)]
                else:
                    track = external[int(len(external) * rng.random() ** 2)]
                if track is not None:
                    full = track[3]
                    ms = rng.randint(0, 29_999) if rng.random() < SHORT_SHARE else full
                end += timedelta(seconds=ms // 1000 + 1 + rng.randint(0, 120))
                row = _spotify_row(end, ms, track, rng, episode=episode)
                batch.append(row)
                if episode:
                    expected.podcasts += 1
                elif no_metadata:
                    expected.no_metadata += 1
                else:
                    expected.imported += 1
                    expected.matched += from_catalog
                    expected.counted += _counted(ms, track, from_catalog=from_catalog)
                    recent.append(row)
            years = f"{batch[0]['ts'][:4]}-{batch[-1]['ts'][:4]}"
            name = f"{FOLDER}/Streaming_History_Audio_{years}_{number}.json"
            with archive.open(name, "w") as member:
                member.write(orjson.dumps(batch, option=orjson.OPT_INDENT_2))
            expected.files += 1
    if end > datetime.now(UTC):
        raise SystemExit(f"{rows} rows reach past today; lower --rows.")
    expected.skipped = expected.podcasts + expected.no_metadata
    expected.zip_bytes = path.stat().st_size
    return expected


def _counted(ms: int, track: tuple, *, from_catalog: bool) -> bool:
    """Tonearm's rule for a catalog track (its duration is known), else Spotify's 30 s."""
    from core.library.services import is_counted_listen

    if from_catalog:
        return is_counted_listen(duration=track[3] / 1000, played_seconds=ms / 1000)
    return ms >= 30_000


def _listener():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"email": f"{USERNAME}@example.com"}
    )
    return user


def start_import(user, path: Path) -> int:
    """Presign a slot, PUT the file to it and start the import, through the API."""
    from urllib.parse import urlsplit

    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    data = path.read_bytes()
    slot = client.post(
        "/api/imports/presigned_upload/",
        {"filename": "my_spotify_data.zip", "content_type": "application/zip", "size": len(data)},
        format="json",
    )
    assert slot.status_code == 201, slot.content
    presigned = slot.json()
    url = urlsplit(presigned["url"])
    headers = dict(presigned["headers"])
    content_type = headers.pop("Content-Type")
    headers.pop("Content-Length")
    put = APIClient().generic(
        presigned["method"],
        url.path + (f"?{url.query}" if url.query else ""),
        data=data,
        content_type=content_type,
        headers=headers,
    )
    assert put.status_code in (200, 201, 204), put.content
    started = client.post("/api/imports/", {"upload_id": presigned["upload_id"]}, format="json")
    assert started.status_code == 202, started.content
    return started.json()["id"]


def run_worker(env: dict[str, str], *, timeout: float) -> tuple[float, int]:
    """Run `manage.py db_worker --batch` until the queue is empty; (seconds, peak RSS in KB)."""
    began = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=False,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        raise SystemExit(f"The worker failed:\n{proc.stdout}\n{proc.stderr}")
    # On Linux ru_maxrss is in KB: the largest child waited for, here the worker.
    return time.perf_counter() - began, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def verify(import_id: int, expected: Expected, user) -> dict:
    """The job's figures, checked against what the export holds and what is stored."""
    from django.db.models import Sum

    from core.history_import.models import HistoryImport
    from core.insights.models import ListenerTrack
    from core.library.models import ExternalListen

    job = HistoryImport.objects.get(pk=import_id)
    listens = ExternalListen.objects.filter(user=user, source="spotify")
    found = {
        "status": job.status,
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "imported": job.imported,
        "duplicates": job.duplicates,
        "skipped": job.skipped,
        "matched": job.matched,
        "unmatched": job.unmatched,
        "skipped_reasons": job.skipped_reasons,
        "stored": listens.count(),
        "stored_matched": listens.filter(matched=True).count(),
        "stored_counted": listens.filter(counted=True).count(),
        "rollup_listens": ListenerTrack.objects.filter(user=user).aggregate(n=Sum("listens"))["n"],
        "seconds": (job.finished_at - job.started_at).total_seconds(),
    }
    want = {
        "status": "done",
        "rows_total": expected.rows,
        "rows_done": expected.rows,
        "imported": expected.imported,
        "duplicates": expected.duplicates,
        "skipped": expected.skipped,
        "matched": expected.matched,
        "unmatched": expected.imported - expected.matched,
        "skipped_reasons": {
            reason: n
            for reason, n in (
                ("podcast episode", expected.podcasts),
                ("missing artist", expected.no_metadata),
            )
            if n
        },
        "stored": expected.imported,
        "stored_matched": expected.matched,
        "stored_counted": expected.counted,
        "rollup_listens": expected.counted or None,
    }
    wrong = {k: (found[k], v) for k, v in want.items() if found[k] != v}
    if job.imported + job.duplicates + job.skipped != job.rows_done:
        wrong["sum"] = (job.imported + job.duplicates + job.skipped, job.rows_done)
    if wrong:
        raise SystemExit(f"The import's figures are wrong (found, expected): {wrong}")
    return found


def prepare(rows: int, workdir: Path) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "my_spotify_data.zip"
    began = time.perf_counter()
    expected = build_export(path, rows=rows)
    print(
        f"Export: {rows} rows in {expected.files} files, {expected.zip_bytes / 1e6:.1f} MB zipped, "
        f"written in {time.perf_counter() - began:.1f} s",
        flush=True,
    )
    user = _listener()
    from core.history_import.models import HistoryImport
    from core.library.models import ExternalListen

    # A fresh start for the listener: what an earlier run stored would make duplicates.
    ExternalListen.objects.filter(user=user).delete()
    HistoryImport.objects.filter(user=user).delete()
    from core.insights.models import ListenerQuarterHour, ListenerTrack

    ListenerTrack.objects.filter(user=user).delete()
    ListenerQuarterHour.objects.filter(user=user).delete()
    import_id = start_import(user, path)
    path.unlink()  # the upload holds it now
    state = {"import_id": import_id, "expected": asdict(expected)}
    (workdir / "state.json").write_text(json.dumps(state))
    print(f"Import {import_id} queued.", flush=True)
    return state


def run(workdir: Path, env: dict[str, str], *, timeout: float) -> dict:
    state = json.loads((workdir / "state.json").read_text())
    expected = Expected(**state["expected"])
    print(f"Running import {state['import_id']} in a worker ...", flush=True)
    seconds, peak_kb = run_worker(env, timeout=timeout)
    found = verify(state["import_id"], expected, _listener())
    result = {
        "rows": expected.rows,
        "files": expected.files,
        "zip_mb": round(expected.zip_bytes / 1e6, 1),
        "job_seconds": round(found["seconds"], 1),
        "worker_seconds": round(seconds, 1),
        "rows_per_second": round(expected.rows / found["seconds"]),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "load_average": os.getloadavg(),
        **{k: found[k] for k in ("imported", "duplicates", "skipped", "matched", "unmatched")},
        "counted": found["stored_counted"],
        "skipped_reasons": found["skipped_reasons"],
    }
    print(json.dumps(result, indent=2), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--phase", choices=("prepare", "run", "all"), default="all")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tonearm-bench-history-import"
    )
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--output", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args()
    os.environ.setdefault("LOCAL_STORAGE_ROOT", str(args.workdir / "storage"))
    env = apply_bench_env()
    import django

    django.setup()
    if args.phase in ("prepare", "all"):
        prepare(args.rows, args.workdir)
    if args.phase in ("run", "all"):
        result = run(args.workdir, env, timeout=args.timeout)
        if args.output:
            args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
