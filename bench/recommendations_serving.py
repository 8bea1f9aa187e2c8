"""Training and serving of recommendations on a generated database, in-process.

    DATABASE_URL=postgres://... python -m bench.recommendations_serving [--repeat 30]

Trains (time and peak memory of this process), then times each recommendation endpoint through
Django's test client for the heavy listener (the first bench user) and an ordinary one: p50/p95
in milliseconds and the query count. scripts/bench_recommendations.sh makes the database first.
"""

import argparse
import json
import resource
import time

from bench.settings_env import setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--phase",
        choices=("all", "train", "serve"),
        default="all",
        help="train only (a shared window), serve only (time it alone, after a train), or both",
    )
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from bench.inprocess import _timed
    from core.accounts.tokens import VersionedRefreshToken
    from core.catalog.models import Track
    from core.models import User
    from core.recommendations import training

    def client_for(user) -> APIClient:
        client = APIClient()
        token = VersionedRefreshToken.for_user(user).access_token
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    if args.phase in ("all", "train"):
        start = time.perf_counter()
        summary = training.train(say=lambda line: print(f"  {line}", flush=True))
        trained = {
            "seconds": round(time.perf_counter() - start, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "listeners": summary.listeners,
            "tracks": summary.tracks,
            "steps": summary.seconds,
        }
        print(json.dumps({"training": trained}))
        if args.phase == "train":
            return
    users = list(User.objects.filter(username__startswith="bench").order_by("pk")[:2])
    track = Track.objects.playable().order_by("-listen_count", "pk").first()
    popular = Track.objects.playable().order_by("pk").values_list("pk", flat=True)[:1][0]
    results = {}
    for label, user in zip(("heavy", "ordinary"), users, strict=True):
        client = client_for(user)
        radio = client.post("/api/radio/", {"seed": "track", "id": popular}, format="json")
        session = radio.json()["id"]
        calls = {
            "recommendations/tracks": lambda c=client: c.get("/api/me/recommendations/tracks/"),
            "mixes": lambda c=client: c.get("/api/me/mixes/"),
            "tracks/similar": lambda c=client: c.get(f"/api/tracks/{track.pk}/similar/"),
            "artists/similar": lambda c=client: c.get(f"/api/artists/{track.artist_id}/similar/"),
            "radio/next": lambda c=client, s=session: c.get(f"/api/radio/{s}/next/?count=10"),
        }
        for name, call in calls.items():
            with CaptureQueriesContext(connection) as queries:
                status = call().status_code
            figures = _timed(call, args.repeat)
            results[f"{name} ({label})"] = {**figures, "queries": len(queries), "status": status}
    print(json.dumps({"serving": results}, indent=1))


if __name__ == "__main__":
    main()
