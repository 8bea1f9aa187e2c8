"""`listen_count` on track and album payloads: all-time counted listens, no query per item."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.catalog.models import Track
from tests import factories
from tests.insights.conftest import listen, utc


def test_track_payloads_carry_their_all_time_listens(alice, bob, alice_client, catalog):
    listen(alice, catalog[0], utc(2020, 1, 1, 12, 0))
    listen(alice, catalog[0], utc(2026, 1, 1, 12, 0))
    listen(bob, catalog[0], utc(2026, 1, 1, 12, 0))
    listen(bob, catalog[1], utc(2026, 1, 1, 12, 0), seconds=5)  # not counted

    detail = alice_client.get(f"/api/tracks/{catalog[0].pk}/").json()
    listed = {t["id"]: t for t in alice_client.get("/api/tracks/").json()["results"]}

    assert detail["listen_count"] == 3
    assert listed[catalog[0].pk]["listen_count"] == 3
    assert listed[catalog[1].pk]["listen_count"] == 0


def test_album_payloads_sum_their_playable_tracks_listens(alice, alice_client, catalog):
    listen(alice, catalog[0], utc(2026, 1, 1, 12, 0))
    listen(alice, catalog[1], utc(2026, 1, 1, 12, 5))
    listen(alice, catalog[1], utc(2026, 1, 2, 12, 5))
    listen(alice, catalog[2], utc(2026, 1, 2, 12, 5))
    album = catalog[0].album

    assert alice_client.get(f"/api/albums/{album.pk}/").json()["listen_count"] == 3
    Track.objects.filter(pk=catalog[1].pk).update(is_hidden=True)
    assert alice_client.get(f"/api/albums/{album.pk}/").json()["listen_count"] == 1


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_listen_counts_cost_no_query_per_item(alice, alice_client, catalog):
    before = {url: _queries(alice_client, url) for url in ("/api/tracks/", "/api/albums/")}
    for n in range(10):
        track = factories.TrackFactory(duration=100.0)
        listen(alice, track, utc(2026, 1, 1, n, 0))

    after = {url: _queries(alice_client, url) for url in ("/api/tracks/", "/api/albums/")}
    assert after == before
