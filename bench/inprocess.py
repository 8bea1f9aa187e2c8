"""Measurements taken inside the runner's process, through Django's test client: the unavoidable
work of a stream (presigning, one history insert) and the scaling curves."""

import base64
import contextlib
import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

CURVE_REPEAT = 30
HISTORY_DEPTHS = (0, 1_000, 10_000, 100_000, 1_000_000)


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": round(statistics.median(ordered), 2), "p95": round(p95, 2), "n": len(ordered)}


def _timed(call: Callable[[], object], repeat: int) -> dict:
    """Milliseconds per call of `call` (after one warm-up call), as p50/p95."""
    call()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return _percentiles(samples)


def _per_call_us(call: Callable[[], object], repeat: int) -> float:
    call()
    start = time.perf_counter()
    for _ in range(repeat):
        call()
    return round((time.perf_counter() - start) / repeat * 1e6, 1)


def stream_costs(*, user, track_id: int, repeat: int = 500) -> dict:
    """Microseconds for presigning one GET (local and S3 backends), one history insert, one
    play_start and one whole stream service call (the endpoint without HTTP and DRF)."""
    from core.catalog.models import Track
    from core.library.models import Play
    from core.library.stream import play_start, track_stream
    from media_pipeline.storage.local import LocalStorage
    from media_pipeline.storage.s3 import S3Storage

    track = Track.objects.get(pk=track_id)
    local = LocalStorage.from_settings()
    with override_settings(
        AWS_ACCESS_KEY_ID="AKIAEXAMPLEEXAMPLE00",
        AWS_SECRET_ACCESS_KEY="bench-secret-key-never-sent-anywhere",  # noqa: S106
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9",
    ):
        s3 = S3Storage.from_settings()
    results = {
        "presign_local_us": _per_call_us(
            lambda: local.presign_download(track.storage_key, expires_in=300), repeat
        ),
        "presign_s3_us": _per_call_us(
            lambda: s3.presign_download(track.storage_key, expires_in=300), repeat
        ),
    }
    tracks = list(
        Track.objects.playable().exclude(pk=track_id).order_by("pk").values_list("pk", flat=True)
    )
    picks = iter(tracks[: repeat * 3 + 3])
    started_after = Play.objects.order_by("-id").values_list("id", flat=True).first() or 0
    results["history_insert_us"] = _per_call_us(
        lambda: Play.objects.create(
            user=user, track_id=next(picks), started_at=track.created_at, client="bench"
        ),
        repeat,
    )
    results["play_start_us"] = _per_call_us(
        lambda: play_start(user_id=user.pk, track_id=next(picks), client="bench"), repeat
    )
    results["stream_service_us"] = _per_call_us(
        lambda: track_stream(user=user, track_id=next(picks), client="bench"), repeat
    )
    Play.objects.filter(id__gt=started_after, client="bench", user=user).delete()
    return results


def _history_cursor(position) -> str:
    """The cursor DRF's CursorPagination would hand out for a page starting after `position`."""
    token = urlencode({"p": position.isoformat()}, doseq=True)
    return base64.b64encode(token.encode("ascii")).decode("ascii")


def _queries(client: APIClient, method: str, path: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data, format="json")
    assert response.status_code < 300, (path, response.status_code, response.content[:300])
    return len(captured)


def search_terms(word: str) -> list[str]:
    """Searches from broad to narrow: one and two letters (title and name starts), three
    letters and the whole word (anywhere, about 0.2 % of titles), the word with a number."""
    return [word[:1], word[:2], word[:3], word, f"{word} 9"]


def curves(
    *, heavy_user, token: str, search: str, playlists: dict[int, int], repeat: int = CURVE_REPEAT
) -> dict:
    """Latency (ms) of list and search (by breadth of the term), history pages by depth,
    playlist add and reorder by size."""
    from core.library.models import Play

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(path: str) -> Callable[[], object]:
        def call() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return call

    result: dict = {
        "track_list": _timed(get("/api/tracks/"), repeat),
        "track_search": _timed(get(f"/api/tracks/?search={search}"), repeat),
        "track_search_page_50": _timed(
            get(f"/api/tracks/?search={search}&page_size=50"), CURVE_REPEAT
        ),
        "track_search_by_term": {
            term: _timed(get(f"/api/tracks/?{urlencode({'search': term})}"), repeat)
            for term in search_terms(search)
        },
        "history_by_depth": {},
        "playlist_add_by_size": {},
        "playlist_reorder_by_size": {},
    }
    plays = Play.objects.filter(user=heavy_user).order_by("-started_at", "-id")
    total = plays.count()
    for depth in HISTORY_DEPTHS:
        if depth >= total:
            break
        path = "/api/history/"
        if depth:
            position = plays.values_list("started_at", flat=True)[depth - 1]
            path += f"?cursor={_history_cursor(position)}"
        result["history_by_depth"][depth] = _timed(get(path), repeat)

    rng = random.Random(6)
    track_id = 2
    for size, playlist_id in sorted(playlists.items()):

        def add_then_remove(size: int = size, playlist_id: int = playlist_id) -> float:
            start = time.perf_counter()
            response = client.post(
                f"/api/playlists/{playlist_id}/add/",
                {"track_id": track_id, "position": rng.randrange(size * 9 // 10)},
                format="json",
            )
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 201, response.content
            client.post(
                f"/api/playlists/{playlist_id}/remove/",
                {"item_id": response.json()["item_id"]},
                format="json",
            )
            return elapsed

        add_then_remove()
        result["playlist_add_by_size"][size] = _percentiles(
            [add_then_remove() for _ in range(repeat)]
        )

        def reorder(size: int = size, playlist_id: int = playlist_id) -> None:
            start = rng.randrange(size * 9 // 10)
            response = client.post(
                f"/api/playlists/{playlist_id}/reorder/",
                {"range_start": start, "insert_before": rng.randrange(size * 9 // 10)},
                format="json",
            )
            assert response.status_code == 200, (size, start, response.content)

        result["playlist_reorder_by_size"][size] = _timed(reorder, repeat)
        largest = playlist_id
    result["queries"] = {
        "history_page": _queries(client, "get", "/api/history/"),
        "track_search": _queries(client, "get", f"/api/tracks/?search={search}"),
        "playlist_reorder_largest": _queries(
            client,
            "post",
            f"/api/playlists/{largest}/reorder/",
            {"range_start": 1, "insert_before": 5},
        ),
    }
    return result


def insights(*, heavy_user, token: str, repeat: int = CURVE_REPEAT) -> dict:
    """The rollups' rebuild (seconds, when the generated plays have none yet), and the latency
    (ms) and query count of the heavy listener's statistics, recap and of the charts: computed
    (what refresh_charts does per chart), cold (the process cache empty: served from the
    snapshot) and warm (from the process cache)."""
    from django.core.cache import cache
    from django.utils import timezone

    from core.insights.models import ListenerTrack
    from core.insights.rebuild import rebuild_insights

    result: dict = {}
    if not ListenerTrack.objects.exists():
        start = time.perf_counter()
        rebuilt = rebuild_insights()
        result["rebuild_seconds"] = round(time.perf_counter() - start, 1)
        result["rebuild_listens"] = rebuilt.listens
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    year = timezone.now().year

    def get(path: str) -> Callable[[], object]:
        def call() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return call

    def cold(path: str) -> Callable[[], object]:
        def call() -> None:
            cache.clear()
            get(path)()

        return call

    paths = {
        "me_stats_7d": "/api/me/stats/?period=7d",
        "me_stats_12m": "/api/me/stats/?period=12m&limit=50",
        "me_stats_all": "/api/me/stats/?period=all&limit=50",
        "me_activity_12m": "/api/me/stats/activity/?period=12m",
        "me_recap": f"/api/me/stats/recap/{year}/",
    }
    charts = {
        "charts_tracks_day": "/api/charts/tracks/?period=day&limit=100",
        "charts_tracks_week": "/api/charts/tracks/?period=week&limit=100",
        "charts_artists_year": "/api/charts/artists/?period=year&limit=100",
        "charts_tracks_all": "/api/charts/tracks/?period=all&limit=100",
    }
    for name, path in paths.items():
        result[name] = _timed(get(path), repeat)
    from core.insights.charts import chart_refresh, charts_refresh

    for name, path in charts.items():
        kind, period = name.split("_")[1:]
        result[f"{name}_computed"] = _timed(
            lambda kind=kind, period=period: chart_refresh(kind, period, None),
            max(3, repeat // 10),
        )
        result[f"{name}_cold"] = _timed(cold(path), repeat)
        result[f"{name}_warm"] = _timed(get(path), repeat)
    start = time.perf_counter()
    result["charts_refresh_all_seconds"] = (charts_refresh(), round(time.perf_counter() - start, 1))
    result["queries"] = {name: _queries(client, "get", path) for name, path in paths.items()}
    result["queries"]["charts_warm"] = _queries(client, "get", charts["charts_tracks_week"])
    return result


def rollup_costs(*, user, rounds: int = 5, repeat: int = 100) -> dict:
    """Microseconds of a stream (the service) and of a progress report that counts a listen,
    with the insights rollups inline, deferred (INSIGHTS_ROLLUPS) and off, alternating in
    rounds (medians); and what applying a deferred listen costs (apply_listens)."""
    from unittest import mock

    from core.catalog.models import Track
    from core.insights.services import insights_apply_pending
    from core.library import services as library_services
    from core.library.models import Play
    from core.library.stream import track_stream

    tracks = list(
        Track.objects.playable()
        .filter(duration__range=(120, 238))  # 119 s played counts a listen of these
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    picks = iter(tracks * (rounds * 6 + 2))
    started_after = Play.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def stream() -> None:
        track_stream(user=user, track_id=next(picks), client="bench")

    def progress() -> None:
        play = Play.objects.create(
            user=user,
            track_id=next(picks),
            started_at=timezone.now() - timedelta(minutes=10),
            client="bench",
        )
        library_services.play_report_progress(user=user, play_id=play.pk, played_seconds=119)

    states = ("inline", "deferred", "off")
    samples: dict[str, list[float]] = {
        f"{name}_{state}": [] for name in ("stream", "progress") for state in states
    }
    applied: list[float] = []
    for _ in range(rounds):
        for state in states:
            with contextlib.ExitStack() as stack:
                mode = "deferred" if state == "deferred" else "inline"
                stack.enter_context(override_settings(INSIGHTS_ROLLUPS=mode))
                if state == "off":
                    stack.enter_context(
                        mock.patch.object(
                            library_services, "insights_record_listen", lambda **kw: None
                        )
                    )
                samples[f"stream_{state}"].append(_per_call_us(stream, repeat))
                samples[f"progress_{state}"].append(_per_call_us(progress, repeat))
            if state == "deferred":
                start = time.perf_counter()
                count = insights_apply_pending(limit=10 * repeat)
                applied.append((time.perf_counter() - start) / count * 1e6)
    # The rollups keep these listens until the next rebuild.
    Play.objects.filter(id__gt=started_after, client="bench", user=user).delete()
    result = {name: round(statistics.median(values), 1) for name, values in samples.items()}
    result["apply_per_listen_us"] = round(statistics.median(applied), 1)
    for name in ("stream", "progress"):
        for state in ("inline", "deferred"):
            result[f"{name}_{state}_ratio"] = round(
                result[f"{name}_{state}"] / result[f"{name}_off"], 2
            )
    return result
