"""The heavy listener's statistics and recap, and the served charts, timed in-process: what
`bench.inprocess.insights` measures without the chart computations and the rebuild, short
enough for a quiet window. Each statistics request is timed four ways: repeated (the figures
kept in the cache), the first after a new listen, the first of each following day after a new
listen (the clock moved on a day each time, what earlier days kept still there), and with
nothing kept.

    python -m bench.insights_stats --repeat 20 --output bench/results/<name>.json

Against the database of DATABASE_URL (`bench.generate --plays skewed`, rollups built with
`manage.py rebuild_insights`). docs/benchmarks.md#insights has the figures."""

import argparse
import json
import os
import time
from datetime import timedelta
from pathlib import Path

from bench.settings_env import setup_django


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50": round(ordered[len(ordered) // 2], 1),
        "p95": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
        "n": len(ordered),
    }


def _next_days(call, client, user, days: int) -> list[float]:
    """The first view of each of the `days` next days, a listen before each: the clock moved on
    (freezegun, ticking), so the settled edge and the periods' bounds move as they do."""
    from django.utils import timezone
    from freezegun import freeze_time
    from rest_framework_simplejwt.tokens import AccessToken

    from core.insights.services import listeners_changed

    call()
    samples, today = [], timezone.now()
    for day in range(1, days + 1):
        with freeze_time(today + timedelta(days=day), tick=True, ignore=[__name__]):
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
            listeners_changed({user.pk: timezone.now()})
            start = time.perf_counter()
            call()
            samples.append((time.perf_counter() - start) * 1000)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return samples


def measure(repeat: int, only: str = "") -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import AccessToken

    from core.accounts.models import User
    from core.insights.models import ListenerTrack
    from core.insights.services import listeners_changed

    heavy = User.objects.filter(username__startswith="bench").order_by("pk").first()
    if heavy is None:
        raise SystemExit("No bench data: run python -m bench.generate first.")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(heavy)}")
    year = timezone.now().year
    paths = {
        "me_stats_7d": "/api/me/stats/?period=7d",
        "me_stats_12m": "/api/me/stats/?period=12m&limit=50",
        "me_stats_all": "/api/me/stats/?period=all&limit=50",
        "me_activity_12m": "/api/me/stats/activity/?period=12m",
        "me_recap": f"/api/me/stats/recap/{year}/",
        "me_recap_last_year": f"/api/me/stats/recap/{year - 1}/",
        "charts_tracks_week": "/api/charts/tracks/?period=week&limit=100",
        "charts_artists_year": "/api/charts/artists/?period=year&limit=100",
    }
    result: dict = {
        "heavy_listens": sum(
            ListenerTrack.objects.filter(user=heavy).values_list("listens", flat=True)
        ),
        "load_average_before": os.getloadavg(),
    }
    for name, path in paths.items():
        if not name.startswith(only):
            continue

        def call(path=path) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        call()
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            samples.append((time.perf_counter() - start) * 1000)
        result[name] = _percentiles(samples)
        if name.startswith("me_"):
            # The first view after a new listen: the listener's version moves as a live listen
            # moves it (figures of past windows stay kept), then nothing kept at all.
            for variant, before in (
                ("after_listen", lambda: listeners_changed({heavy.pk: timezone.now()})),
                ("nothing_kept", cache.clear),
            ):
                samples = []
                for _ in range(repeat):
                    before()
                    start = time.perf_counter()
                    call()
                    samples.append((time.perf_counter() - start) * 1000)
                result[f"{name}_{variant}"] = _percentiles(samples)
            result[f"{name}_next_day"] = _percentiles(_next_days(call, client, heavy, repeat))
        if name.startswith("charts"):
            samples = []
            for _ in range(repeat):
                cache.clear()
                start = time.perf_counter()
                call()
                samples.append((time.perf_counter() - start) * 1000)
            result[f"{name}_cold"] = _percentiles(samples)
        with CaptureQueriesContext(connection) as queries:
            call()
        result[name]["queries"] = len(queries.captured_queries)
    result["load_average_after"] = os.getloadavg()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--only", default="", help="only the requests whose name starts so")
    args = parser.parse_args()
    setup_django()
    result = measure(args.repeat, args.only)
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
