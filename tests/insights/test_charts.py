"""GET /api/charts/{tracks,artists,albums}/: what everyone listens to, from the cache."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import ScopedRateThrottle

from core.catalog.models import Album, Track
from core.insights import charts
from core.insights.models import ChartSnapshot
from core.library.models import Play
from tests import factories
from tests.insights.conftest import listen


@pytest.fixture(autouse=True)
def _cold_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def listeners(db):
    return [factories.UserFactory() for _ in range(3)]


def chart_of(client, kind: str, **params) -> dict:
    response = client.get(f"/api/charts/{kind}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def listens(listeners, catalog, now, plan: dict[int, list[tuple[int, float]]]) -> None:
    """plan: track index -> [(listener index, hours ago)]."""
    for index, entries in plan.items():
        for who, hours_ago in entries:
            listen(listeners[who], catalog[index], now - timedelta(hours=hours_ago))


def test_the_track_chart_ranks_by_listens_then_listeners(api_client, listeners, catalog, now):
    listens(
        listeners,
        catalog,
        now,
        {
            0: [(0, 1), (0, 2), (0, 3)],  # 3 listens, 1 listener
            1: [(0, 1), (1, 2), (2, 3)],  # 3 listens, 3 listeners
            2: [(1, 5)],
            3: [(2, 30)],  # outside the day
        },
    )

    body = chart_of(api_client, "tracks", period="day")

    assert [(e["track"]["id"], e["count"], e["listeners"]) for e in body["results"]] == [
        (catalog[1].pk, 3, 3),
        (catalog[0].pk, 3, 1),
        (catalog[2].pk, 1, 1),
    ]
    assert [e["rank"] for e in body["results"]] == [1, 2, 3]
    assert body["period"] == "day"
    assert body["results"][0]["track"]["listen_count"] == 3


def test_ranks_move_against_the_window_before(api_client, listeners, catalog, now):
    listens(
        listeners,
        catalog,
        now,
        {
            0: [(0, 30), (1, 31), (2, 32), (0, 1)],  # first yesterday, second today
            1: [(0, 33), (0, 1), (1, 2)],  # second yesterday, first today
            2: [(2, 3)],  # new today
        },
    )

    results = chart_of(api_client, "tracks", period="day")["results"]

    moves = [(e["track"]["id"], e["previous_rank"], e["movement"]) for e in results]
    assert moves == [
        (catalog[1].pk, 2, "up"),
        (catalog[0].pk, 1, "down"),
        (catalog[2].pk, None, "new"),
    ]


def test_a_track_hidden_after_the_chart_was_computed_leaves_it_at_once(
    api_client, listeners, catalog, now
):
    listens(listeners, catalog, now, {0: [(0, 1), (1, 1)], 1: [(0, 2)]})
    assert len(chart_of(api_client, "tracks", period="week")["results"]) == 2

    Track.objects.filter(pk=catalog[0].pk).update(is_hidden=True)

    results = chart_of(api_client, "tracks", period="week")["results"]
    assert [(e["rank"], e["track"]["id"]) for e in results] == [(1, catalog[1].pk)]


def _age_snapshots(seconds: int) -> None:
    ChartSnapshot.objects.update(computed_at=F("computed_at") - timedelta(seconds=seconds))


def test_a_chart_is_served_from_the_cache_until_it_expires(
    api_client, listeners, catalog, now, settings
):
    listens(listeners, catalog, now, {0: [(0, 1)]})
    assert chart_of(api_client, "tracks", period="week")["results"][0]["count"] == 1

    listens(listeners, catalog, now, {0: [(1, 1)]})
    assert chart_of(api_client, "tracks", period="week")["results"][0]["count"] == 1
    cache.clear()  # what expiry after CHARTS_CACHE_SECONDS does
    _age_snapshots(settings.CHARTS_CACHE_SECONDS)
    assert chart_of(api_client, "tracks", period="week")["results"][0]["count"] == 2


def test_a_cold_cache_serves_the_fresh_snapshot_without_computing(
    api_client, listeners, catalog, now
):
    listens(listeners, catalog, now, {0: [(0, 1)]})
    chart_of(api_client, "tracks", period="week")
    computed = ChartSnapshot.objects.get(kind="tracks", period="week").computed_at
    listens(listeners, catalog, now, {0: [(1, 1)]})
    cache.clear()  # a new process, or a restarted cache

    body = chart_of(api_client, "tracks", period="week")

    assert body["results"][0]["count"] == 1  # the snapshot's figure, not recomputed
    assert ChartSnapshot.objects.get(kind="tracks", period="week").computed_at == computed


def test_refresh_charts_recomputes_what_requests_serve(api_client, listeners, catalog, now):
    listens(listeners, catalog, now, {0: [(0, 1)]})
    chart_of(api_client, "tracks", period="day")
    listens(listeners, catalog, now, {0: [(1, 1)], 1: [(2, 2)]})
    out = StringIO()

    call_command("refresh_charts", "--verbosity", "2", stdout=out, stderr=StringIO())

    body = chart_of(api_client, "tracks", period="day")
    assert [(e["track"]["id"], e["count"]) for e in body["results"]] == [
        (catalog[0].pk, 2),
        (catalog[1].pk, 1),
    ]
    assert "Refreshed 15 chart(s)" in out.getvalue()  # 3 kinds x 5 periods, every genre
    cache.clear()
    assert chart_of(api_client, "tracks", period="day") == body  # from the snapshot


def test_refresh_charts_keeps_the_genre_charts_someone_asked_for(
    api_client, listeners, catalog, now
):
    genre = catalog[0].genres.first()
    listens(listeners, catalog, now, {0: [(0, 1)]})
    chart_of(api_client, "tracks", period="week", genre=genre.pk)
    out = StringIO()

    call_command("refresh_charts", "--verbosity", "2", stdout=out)

    assert "Refreshed 16 chart(s)" in out.getvalue()


def test_artist_and_album_charts_group_their_tracks(api_client, listeners, catalog, now):
    listens(
        listeners,
        catalog,
        now,
        {0: [(0, 1)], 1: [(1, 1)], 2: [(2, 1)], 3: [(0, 1), (1, 1), (2, 1), (0, 2)], 4: [(0, 1)]},
    )

    artists = chart_of(api_client, "artists", period="week")["results"]
    albums = chart_of(api_client, "albums", period="week")["results"]

    assert [(e["artist"]["name"], e["count"], e["listeners"]) for e in artists] == [
        ("Bix", 5, 3),
        ("Ada", 3, 3),
    ]
    assert [(e["album"]["title"], e["count"], e["listeners"]) for e in albums] == [
        ("Third", 4, 3),
        ("First", 2, 2),
        ("Second", 1, 1),
    ]
    assert albums[0]["album"]["artist"]["name"] == "Bix"


def test_a_hidden_album_leaves_the_album_chart_at_once_for_everyone(
    api_client, listeners, catalog, now, moderator
):
    listens(
        listeners,
        catalog,
        now,
        {0: [(0, 1)], 1: [(1, 1)], 2: [(2, 1)], 3: [(0, 1), (1, 1), (2, 1), (0, 2)], 4: [(0, 1)]},
    )
    assert len(chart_of(api_client, "albums", period="week")["results"]) == 3
    third = catalog[3].album
    Album.objects.filter(pk=third.pk).update(is_hidden=True)

    anonymous = chart_of(api_client, "albums", period="week")["results"]
    api_client.force_authenticate(moderator)
    moderated = chart_of(api_client, "albums", period="week")["results"]

    for results in (anonymous, moderated):
        assert [(e["rank"], e["album"]["title"]) for e in results] == [(1, "First"), (2, "Second")]
        assert [e["previous_rank"] for e in results] == [None, None]


def test_a_genre_chart_holds_only_that_genres_tracks(api_client, listeners, catalog, now):
    listens(listeners, catalog, now, {0: [(0, 1)], 1: [(0, 1), (1, 1)], 3: [(0, 1)]})
    jazz = catalog[1].genres.get(name="Jazz")

    results = chart_of(api_client, "tracks", period="week", genre=jazz.pk)["results"]

    assert [e["track"]["id"] for e in results] == [catalog[1].pk, catalog[3].pk]


def test_the_all_time_chart_counts_every_listen(api_client, listeners, catalog, now):
    listens(listeners, catalog, now, {0: [(0, 24 * 400), (1, 1)], 1: [(2, 24 * 800)]})

    body = chart_of(api_client, "tracks", period="all")

    assert body["from"] is None
    assert [(e["track"]["id"], e["count"], e["movement"]) for e in body["results"]] == [
        (catalog[0].pk, 2, "new"),
        (catalog[1].pk, 1, "new"),
    ]


def test_the_limit_caps_the_chart(api_client, listeners, catalog, now):
    listens(listeners, catalog, now, {n: [(0, 1)] for n in range(5)})

    assert len(chart_of(api_client, "tracks", limit=2)["results"]) == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "decade"}, "period"),
        ({"limit": "101"}, "limit"),
        ({"genre": "abc"}, "genre"),
        ({"genre": "999999"}, "genre"),
    ],
)
def test_bad_chart_input_is_a_400_naming_the_field(api_client, db, params, field):
    response = api_client.get("/api/charts/tracks/", params)

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_charts_are_throttled_for_anonymous_clients(api_client, db, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"charts": "2/min"})

    codes = [api_client.get("/api/charts/artists/").status_code for _ in range(3)]

    assert codes == [200, 200, 429]


def _queries(client, params: dict) -> int:
    client.get("/api/charts/tracks/", params)  # warm the cache
    with CaptureQueriesContext(connection) as context:
        assert client.get("/api/charts/tracks/", params).status_code == 200
    return len(context.captured_queries)


def test_query_count_of_a_warm_chart_is_the_same_whatever_the_limit(
    api_client, listeners, catalog, now
):
    listens(listeners, catalog, now, {0: [(0, 1)]})
    one = _queries(api_client, {"limit": 1})
    listens(listeners, catalog, now, {n: [(1, 2), (2, 3)] for n in range(5)})
    cache.clear()

    assert _queries(api_client, {"limit": 100}) == one


def _chart_queries(client, params: dict) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as context:
        response = client.get("/api/charts/tracks/", params)
    assert response.status_code == 200
    return len(context.captured_queries), response.json()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="kept under the catalog version")
def test_a_warm_chart_costs_one_query_and_one_more_for_a_listeners_marks(
    api_client, listeners, catalog, now
):
    listens(listeners, catalog, now, {n: [(0, 1)] for n in range(5)})
    chart_of(api_client, "tracks", period="week", limit=100)  # computes and keeps the chart

    assert _chart_queries(api_client, {"period": "week", "limit": 1})[0] == 1  # the version
    assert _chart_queries(api_client, {"period": "week", "limit": 100})[0] == 1
    api_client.force_authenticate(listeners[1])
    assert _chart_queries(api_client, {"period": "week", "limit": 100})[0] == 2  # + marks


def test_kept_entries_carry_each_listeners_own_favorites_and_stars(
    api_client, listeners, catalog, now
):
    from core.insights import charts
    from core.insights.serializers import TrackChartOutputSerializer
    from core.ratings import services as ratings

    listens(listeners, catalog, now, {0: [(0, 1), (1, 1)], 1: [(0, 2)], 2: [(2, 3)]})
    factories.FavoriteFactory(user=listeners[0], track=catalog[1])
    ratings.set_rating(user=listeners[0], item=catalog[0], stars=5)
    ratings.set_rating(user=listeners[1], item=catalog[1], stars=2)
    chart_of(api_client, "tracks", period="week")  # kept, as anonymous callers see it

    marks = {}
    for listener in listeners[:2]:
        api_client.force_authenticate(listener)
        served = chart_of(api_client, "tracks", period="week", limit=3)
        computed = charts.chart(kind="tracks", period="week", genre_id=None, limit=3, user=listener)
        assert served == TrackChartOutputSerializer(computed).data
        marks[listener] = {
            e["track"]["id"]: (e["track"]["is_favorite"], e["track"]["my_rating"])
            for e in served["results"]
        }
    first, second, third = (track.pk for track in catalog[:3])
    assert marks[listeners[0]] == {first: (False, 5), second: (True, None), third: (False, None)}
    assert marks[listeners[1]] == {first: (False, None), second: (False, 2), third: (False, None)}
    api_client.force_authenticate(None)
    anonymous = chart_of(api_client, "tracks", period="week")["results"]
    assert {(e["track"]["is_favorite"], e["track"]["my_rating"]) for e in anonymous} == {
        (False, None)
    }


def test_an_edit_of_a_charted_track_shows_at_once(api_client, listeners, catalog, now):
    listens(listeners, catalog, now, {0: [(0, 1)]})
    assert chart_of(api_client, "tracks")["results"][0]["track"]["title"] == catalog[0].title

    Track.objects.filter(pk=catalog[0].pk).update(title="A new title")

    assert chart_of(api_client, "tracks")["results"][0]["track"]["title"] == "A new title"


def _plain_all_time(kind: str, genre_id: int | None, depth: int) -> list[tuple]:
    """The all-time chart by definition: every counted listen of a playable track, its count
    and distinct listeners per track, artist or album, best first."""
    plays = Play.objects.filter(counted=True, track__in=Track.objects.playable()).select_related(
        "track"
    )
    groups: dict[int, list] = {}
    for play in plays:
        if genre_id is not None and not play.track.genres.filter(pk=genre_id).exists():
            continue
        key = {"tracks": play.track_id, "artists": play.track.artist_id}.get(
            kind, play.track.album_id
        )
        if key is None:
            continue
        entry = groups.setdefault(key, [0, set()])
        entry[0] += 1
        entry[1].add(play.user_id)
    ranked = sorted(
        ((pk, count, len(users)) for pk, (count, users) in groups.items()),
        key=lambda e: (-e[1], -e[2], e[0]),
    )
    return ranked[:depth]


def test_all_time_charts_equal_a_plain_count_with_ties_at_the_cut(
    api_client, listeners, catalog, now, monkeypatch
):
    """The all-time charts come from kept per-track counters; artists and albums count their
    distinct listeners only for the groups that can make the cut, ties at the cut included."""
    more = [factories.ArtistFactory(name=f"Extra {n}") for n in range(3)]
    extra = [factories.TrackFactory(artist=a, album=None, duration=200.0) for a in more]
    tracks = [*catalog, *extra]
    # Listens per track index: the extra artists tie on listens (2 each) and differ in
    # listeners; a depth of 3 cuts inside that tie.
    plan = {
        0: [(0, 1), (0, 30)],
        1: [(1, 1)],
        2: [(2, 500)],
        3: [(0, 1), (1, 2), (2, 3)],
        5: [(0, 1), (0, 2)],  # the first extra artist: fewer listeners, lowest id
        6: [(0, 1), (1, 1)],
        7: [(2, 1), (1, 9000)],
    }
    for index, entries in plan.items():
        for who, hours_ago in entries:
            listen(listeners[who], tracks[index], now - timedelta(hours=hours_ago))
    Track.objects.filter(pk=catalog[4].pk).update(is_hidden=True)
    listen(listeners[0], tracks[4], now - timedelta(hours=1))  # hidden since: not charted
    monkeypatch.setattr(charts, "CHART_DEPTH", 3)
    jazz = catalog[1].genres.get(name="Jazz")

    for genre_id in (None, jazz.pk):
        for kind in ("tracks", "artists", "albums"):
            cache.clear()
            params = {"period": "all", **({"genre": genre_id} if genre_id else {})}
            body = chart_of(api_client, kind, **params)
            singular = kind[:-1]
            got = [(e[singular]["id"], e["count"], e["listeners"]) for e in body["results"]]
            assert got == _plain_all_time(kind, genre_id, 3), (kind, genre_id)


def test_a_year_charts_previous_ranking_is_reused_for_ten_minutes(
    api_client, listeners, catalog, now, monkeypatch
):
    """Ranking the year before is half a year chart's cost; its next refreshes reuse it for
    PREVIOUS_KEPT, then rank it again. The current year is ranked at every refresh."""
    year_ago = 24 * 400  # hours: in the year before the current one
    listens(listeners, catalog, now, {0: [(0, 1)], 1: [(0, year_ago)]})
    charts.chart_refresh("tracks", "year", None)
    rankings = []
    ranking = charts._ranking
    monkeypatch.setattr(
        charts, "_ranking", lambda *args: rankings.append(args[1]) or ranking(*args)
    )
    listens(listeners, catalog, now, {0: [(1, year_ago), (2, year_ago)], 2: [(1, 2)]})

    charts.chart_refresh("tracks", "year", None)
    cache.clear()
    reused = chart_of(api_client, "tracks", period="year")["results"]
    ChartSnapshot.objects.update(previous_at=F("previous_at") - timedelta(minutes=10))
    charts.chart_refresh("tracks", "year", None)
    cache.clear()
    ranked = chart_of(api_client, "tracks", period="year")["results"]

    # The first refresh ranked the current year only, the second both years.
    assert len(rankings) == 3
    assert [(e["track"]["id"], e["count"]) for e in reused] == [
        (catalog[0].pk, 1),
        (catalog[2].pk, 1),
    ]
    assert [e["previous_rank"] for e in reused] == [None, None]  # catalog[1] only, before
    assert [e["previous_rank"] for e in ranked] == [1, None]  # catalog[0]: 2 listens then


def test_a_refresh_ranks_one_aged_out_previous_year_again(listeners, catalog, now):
    listens(listeners, catalog, now, {0: [(0, 1), (1, 24 * 400)]})
    charts.charts_refresh()
    year = ChartSnapshot.objects.filter(period="year")
    assert year.count() == 3 and not year.filter(previous_at=None).exists()
    year.update(previous_at=F("previous_at") - timedelta(minutes=10))
    aged = dict(year.values_list("kind", "previous_at"))

    charts.charts_refresh()

    after = dict(year.values_list("kind", "previous_at"))
    assert sorted(kind for kind in after if after[kind] != aged[kind]) == ["albums"]
    charts.charts_refresh()
    after = dict(year.values_list("kind", "previous_at"))
    assert sorted(kind for kind in after if after[kind] != aged[kind]) == ["albums", "artists"]
