"""The Subsonic API's list methods and its stream redirect, timed in-process (Django's test
client, the whole view: authentication by apiKey, queries, envelope) on generated data.

    DATABASE_URL=postgres://... python -m bench.subsonic [--repeat 30]

Run after `python -m bench.generate --scale ...`; prints p50/p95 in milliseconds per method and
the ratio of the stream redirect's calls per second to the REST stream's, and writes them to
bench/results/<date>-subsonic.json.
"""

import argparse
import datetime
import gc
import hashlib
import json
import os
import random
import secrets
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bench.settings_env import setup_django

RESULTS_DIR = Path(__file__).resolve().parent / "results"
STARRED = 100


def measure(*, repeat: int) -> dict:
    from django.conf import settings
    from django.test import Client
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import AccessToken

    from bench.generate import search_word
    from bench.inprocess import _timed
    from core.accounts.app_passwords import app_password_create
    from core.accounts.models import User
    from core.catalog.models import Track

    user = User.objects.filter(username__startswith="bench").order_by("pk").first()
    if user is None:
        raise SystemExit("No bench data: run python -m bench.generate first.")
    _, secret = app_password_create(user=user, name="bench")
    client = Client()
    auth = {"apiKey": secret, "f": "json", "v": "1.16.1", "c": "bench"}
    tracks = Track.objects.count()

    def rest(name: str, **params):
        def call():
            response = client.get(f"/rest/{name}", {**auth, **params})
            assert response.status_code in (200, 302), response.status_code
            return response

        return call

    track_id = Track.objects.playable().order_by("-pk").values_list("pk", flat=True).first()
    calls = {
        "getAlbumList2 newest (50)": rest("getAlbumList2", type="newest", size=50),
        "getAlbumList2 alphabeticalByName (50, offset 1000)": rest(
            "getAlbumList2", type="alphabeticalByName", size=50, offset=1000
        ),
        "getAlbumList2 frequent (50)": rest("getAlbumList2", type="frequent", size=50),
        f"search3 {search_word()!r} (20 each)": rest("search3", query=search_word()),
        "search3 empty query, songs 100 at offset 10000": rest(
            "search3", query="", songCount=100, songOffset=10_000, artistCount=0, albumCount=0
        ),
        "getArtists": rest("getArtists"),
    }
    results = {name: _timed(call, repeat) for name, call in calls.items()}

    results.update(artist_index_after_changes(rest, user, repeat=repeat))

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    redirect = _timed(rest("stream", id=track_id), repeat * 5)

    def token_stream():
        # What most apps send: u, t = md5(password + salt) and a new salt on every call.
        salt = secrets.token_hex(6)
        token = hashlib.md5((secret + salt).encode(), usedforsecurity=False).hexdigest()
        params = {"u": user.username, "t": token, "s": salt, "f": "json", "v": "1.16.1"}
        response = client.get("/rest/stream", {**params, "c": "bench", "id": track_id})
        assert response.status_code == 302, response.status_code

    results["stream redirect, token auth (new salt each call)"] = _timed(token_stream, repeat * 5)
    rest_stream = _timed(lambda: api.post(f"/api/tracks/{track_id}/stream/"), repeat * 5)
    results["stream redirect"] = redirect
    results["REST stream (POST /api/tracks/{id}/stream/)"] = rest_stream
    return {
        "tracks": tracks,
        "load_average": list(os.getloadavg()),
        "ms": results,
        "stream_redirect_to_rest_stream_throughput": round(rest_stream["p50"] / redirect["p50"], 2),
        "app_password_cache_seconds": settings.APP_PASSWORD_CACHE_SECONDS,
    }


def _timed_after(change: Callable[[], object], call: Callable[[], object], repeat: int) -> dict:
    """Milliseconds per call of `call` with `change` made before each (untimed), as p50/p95."""
    from bench.inprocess import _percentiles

    change()
    call()
    samples = []
    for _ in range(repeat):
        change()
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return _percentiles(samples)


def artist_index_after_changes(rest, user, *, repeat: int) -> dict:
    """getArtists and getIndexes (JSON and XML) right after a catalog change (each call follows
    a rename of a random artist, or a hide of its shown tracks or showing those again: it
    leaves or enters the index), also with the caller's stars on STARRED random artists, and
    the first call of a process, which reads every artist."""
    from django.db.models import Value
    from django.db.models.functions import Concat, Replace

    from core.catalog.models import Artist, Track
    from core.library.models import ArtistFavorite
    from core.subsonic.artist_index import KEPT

    rng = random.Random(16)
    pks = list(
        Artist.objects.filter(playable_totals__track_count__gt=0).values_list("pk", flat=True)
    )
    mark = " (renamed)"

    renamed: set[int] = set()  # to name back at the end

    def rename():
        pk = rng.choice(pks)
        if pk in renamed:
            Artist.objects.filter(pk=pk).update(name=Replace("name", Value(mark), Value("")))
            renamed.discard(pk)
        else:
            Artist.objects.filter(pk=pk).update(name=Concat("name", Value(mark)))
            renamed.add(pk)

    hidden: list[list[int]] = []  # the tracks hidden, to show again (and only those)

    def hide_or_unhide():
        if hidden:
            Track.objects.filter(pk__in=hidden.pop()).update(is_hidden=False)
        else:
            shown = Track.objects.filter(artist_id=rng.choice(pks), is_hidden=False)
            hidden.append(list(shown.values_list("pk", flat=True)))
            Track.objects.filter(pk__in=hidden[0]).update(is_hidden=True)

    results = {}
    for method in ("getArtists", "getIndexes"):
        for fmt in ("json", "xml"):
            call = rest(method, f=fmt)
            results[f"{method} {fmt}, after a rename"] = _timed_after(rename, call, repeat)
            results[f"{method} {fmt}, after a hide or unhide"] = _timed_after(
                hide_or_unhide, call, repeat
            )
            results[f"{method} {fmt}, index unchanged"] = _timed_after(lambda: None, call, repeat)
    if hidden:
        Track.objects.filter(pk__in=hidden.pop()).update(is_hidden=False)
    own = set(ArtistFavorite.objects.filter(user=user).values_list("artist_id", flat=True))
    unstarred = [pk for pk in pks if pk not in own]
    starred = [ArtistFavorite(user=user, artist_id=pk) for pk in rng.sample(unstarred, STARRED)]
    ArtistFavorite.objects.bulk_create(starred)
    for fmt in ("json", "xml"):
        results[f"getArtists {fmt}, {STARRED} starred, after a rename"] = _timed_after(
            rename, rest("getArtists", f=fmt), repeat
        )
    ArtistFavorite.objects.filter(user=user, artist_id__in=[s.artist_id for s in starred]).delete()
    Artist.objects.filter(pk__in=renamed).update(name=Replace("name", Value(mark), Value("")))
    for fmt in ("json", "xml"):
        results[f"getArtists {fmt}, first call of a process (every artist read)"] = _timed_after(
            KEPT.forget, rest("getArtists", f=fmt), max(repeat // 6, 3)
        )
    results["kept index MB (every artist, and each form written)"] = kept_index_megabytes()
    return results


def kept_index_megabytes() -> dict:
    """Memory the kept artist index holds: its artists, then each answer form written."""
    from core.subsonic.artist_index import KEPT

    KEPT.forget()
    gc.collect()
    tracemalloc.start()
    taken = {}
    with KEPT.lock:
        KEPT.refresh()
        taken["artists"] = tracemalloc.get_traced_memory()[0]
        for form in (("getArtists", "json"), ("getArtists", "xml"), ("getIndexes", "json")):
            before = tracemalloc.get_traced_memory()[0]
            KEPT.pieces(form, {})
            taken[" ".join(form)] = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return {name: round(size / 2**20, 1) for name, size in taken.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    result = measure(repeat=args.repeat)
    print(json.dumps(result, indent=2))
    RESULTS_DIR.mkdir(exist_ok=True)
    name = f"{datetime.date.today():%Y-%m-%d}-subsonic-{result['tracks']}.json"
    (RESULTS_DIR / name).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
