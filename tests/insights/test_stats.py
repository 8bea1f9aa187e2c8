"""GET /api/me/stats/: totals and top lists of a period, checked against plain computations."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.catalog.models import Track
from tests.insights import reference
from tests.insights.conftest import flattened as flattened_top
from tests.insights.conftest import listen, utc

URL = "/api/me/stats/"
KOLKATA = ZoneInfo("Asia/Kolkata")


def history(alice, catalog) -> None:
    """Listens around local midnights in Kolkata (+5:30) over January and February 2026."""
    plan = [
        # (track index, UTC start, seconds played)
        (0, utc(2026, 1, 31, 18, 29), 200),  # 23:59 local on 31 January
        (0, utc(2026, 1, 31, 18, 30), 150.5),  # 00:00 local on 1 February
        (1, utc(2026, 2, 1, 18, 29, 59), 120),  # 23:59:59 local on 1 February
        (2, utc(2026, 2, 2, 3, 0), 100),
        (3, utc(2026, 2, 3, 12, 0), 200),
        (3, utc(2026, 2, 3, 12, 10), 180),
        (4, utc(2026, 2, 4, 12, 0), 110),
        (1, utc(2026, 1, 28, 12, 0), 200),
        (1, utc(2026, 1, 29, 12, 0), 200),
        (2, utc(2026, 1, 30, 12, 0), 130),
    ]
    for index, at, seconds in plan:
        listen(alice, catalog[index], at, seconds)
    listen(alice, catalog[0], utc(2026, 2, 2, 5, 0), seconds=90)  # not counted


def expected_stats(alice, first: date, last: date, limit: int = 10) -> dict:
    days = (last - first).days + 1
    plays = reference.plays_between(alice, KOLKATA, first, last)
    previous = reference.plays_between(
        alice, KOLKATA, first - timedelta(days=days), first - timedelta(days=1)
    )
    return {
        "totals": reference.totals(plays),
        "previous_totals": reference.totals(previous),
        "top": {
            kind: reference.top(plays, previous, kind, limit)
            for kind in ("tracks", "artists", "albums", "genres")
        },
    }


def flattened(body: dict) -> dict:
    return {
        "totals": body["totals"],
        "previous_totals": body["previous_totals"],
        "top": flattened_top(body["top"]),
    }


def test_custom_period_figures_match_a_plain_computation(alice, alice_client, catalog):
    history(alice, catalog)

    response = alice_client.get(
        URL, {"period": "custom", "from": "2026-02-01", "to": "2026-02-04", "tz": KOLKATA.key}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"from": "2026-02-01", "to": "2026-02-04"}
    assert flattened(body) == expected_stats(alice, date(2026, 2, 1), date(2026, 2, 4))
    assert body["totals"]["listens"] == 6
    assert body["previous_totals"]["listens"] == 4


def test_a_listen_at_local_midnight_belongs_to_the_new_day(alice, alice_client, catalog):
    listen(alice, catalog[0], utc(2026, 1, 31, 18, 30))  # 00:00 on 1 February in Kolkata

    on_the_first = alice_client.get(
        URL, {"period": "custom", "from": "2026-02-01", "to": "2026-02-01", "tz": KOLKATA.key}
    ).json()
    in_utc = alice_client.get(
        URL, {"period": "custom", "from": "2026-02-01", "to": "2026-02-01", "tz": "UTC"}
    ).json()

    assert on_the_first["totals"]["listens"] == 1
    assert in_utc["totals"]["listens"] == 0


def test_top_lists_hold_limit_items_with_rank_share_and_minutes(alice, alice_client, catalog):
    history(alice, catalog)

    body = alice_client.get(
        URL,
        {
            "period": "custom",
            "from": "2026-01-01",
            "to": "2026-02-28",
            "tz": KOLKATA.key,
            "limit": 2,
        },
    ).json()

    assert flattened(body) == expected_stats(alice, date(2026, 1, 1), date(2026, 2, 28), limit=2)
    first = body["top"]["tracks"][0]
    assert first["track"]["artist"]["name"] == "Ada"
    assert first["previous_rank"] is None
    assert sum(len(items) <= 2 for items in body["top"].values()) == 4


def test_a_rolling_period_ends_today_in_the_listeners_time_zone(alice, alice_client, catalog):
    alice.time_zone = KOLKATA.key
    alice.save(update_fields=["time_zone"])
    now = datetime.now(UTC)
    for days_ago in (0, 1, 6, 7, 9, 13, 14, 20):
        listen(alice, catalog[days_ago % 5], now - timedelta(days=days_ago, minutes=1))
    today = now.astimezone(KOLKATA).date()

    body = alice_client.get(URL, {"period": "7d"}).json()

    first = today - timedelta(days=6)
    assert body["period"] == {"from": first.isoformat(), "to": today.isoformat()}
    assert flattened(body) == expected_stats(alice, first, today)


def test_all_time_starts_at_the_first_listen_and_has_no_previous(alice, alice_client, catalog):
    history(alice, catalog)

    body = alice_client.get(URL, {"period": "all", "tz": KOLKATA.key}).json()

    assert body["period"]["from"] == "2026-01-28"
    assert body["totals"] == reference.totals(
        reference.plays_between(alice, KOLKATA, date(1970, 1, 1), date(2100, 1, 1))
    )
    assert body["previous_totals"] == {
        "listens": 0,
        "minutes": 0.0,
        "tracks": 0,
        "artists": 0,
        "albums": 0,
    }
    assert all(item["previous_rank"] is None for item in body["top"]["tracks"])


def test_a_listener_without_listens_gets_zeros(alice_client):
    body = alice_client.get(URL, {"period": "all"}).json()

    assert body["totals"]["listens"] == 0
    assert body["top"] == {"tracks": [], "artists": [], "albums": [], "genres": []}


def test_only_ones_own_listens_count(alice, bob, alice_client, catalog):
    listen(bob, catalog[0], utc(2026, 2, 1, 12, 0))
    listen(alice, catalog[1], utc(2026, 2, 1, 12, 0))

    body = alice_client.get(
        URL, {"period": "custom", "from": "2026-02-01", "to": "2026-02-01"}
    ).json()

    assert body["totals"]["listens"] == 1
    assert body["top"]["tracks"][0]["track"]["id"] == catalog[1].pk


def test_hidden_and_deleted_tracks_keep_counting_but_are_not_playable(alice, alice_client, catalog):
    listen(alice, catalog[0], utc(2026, 2, 1, 12, 0))
    listen(alice, catalog[1], utc(2026, 2, 1, 12, 5))
    listen(alice, catalog[2], utc(2026, 2, 1, 12, 10))
    Track.objects.filter(pk=catalog[0].pk).update(is_hidden=True)
    title = catalog[1].title
    Track.objects.filter(pk=catalog[1].pk).delete()

    body = alice_client.get(
        URL, {"period": "custom", "from": "2026-02-01", "to": "2026-02-01"}
    ).json()

    assert body["totals"]["listens"] == 3
    tracks = {item["track"]["id"]: item["track"] for item in body["top"]["tracks"]}
    assert tracks[catalog[0].pk]["playable"] is False
    assert tracks[catalog[1].pk] == {**tracks[catalog[1].pk], "title": title, "playable": False}
    assert tracks[catalog[2].pk]["playable"] is True
    assert "url" not in str(body)


def test_the_profile_time_zone_is_used_unless_tz_is_given(alice, alice_client, catalog):
    listen(alice, catalog[0], utc(2026, 1, 31, 18, 30))  # 1 February in Kolkata
    params = {"period": "custom", "from": "2026-02-01", "to": "2026-02-01"}

    assert alice_client.get(URL, params).json()["totals"]["listens"] == 0
    assert alice_client.patch("/api/me/", {"time_zone": KOLKATA.key}).status_code == 200
    assert alice_client.get(URL, params).json()["totals"]["listens"] == 1
    assert alice_client.get(URL, {**params, "tz": "UTC"}).json()["totals"]["listens"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "5y"}, "period"),
        ({"period": "custom", "from": "2026-02-02", "to": "2026-02-01"}, "to"),
        ({"period": "custom", "to": "2026-02-01"}, "from"),
        ({"period": "custom", "from": "2026-02-30", "to": "2026-03-01"}, "from"),
        ({"period": "custom", "from": "1969-12-31", "to": "2026-03-01"}, "from"),
        ({"tz": "Mars/Olympus_Mons"}, "tz"),
        ({"limit": "51"}, "limit"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(alice_client, params, field):
    response = alice_client.get(URL, params)

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_an_anonymous_request_is_refused(api_client):
    assert api_client.get(URL).status_code == 401


def test_an_invalid_profile_time_zone_is_refused(alice_client):
    response = alice_client.patch("/api/me/", {"time_zone": "Europe/Atlantis"})

    assert response.status_code == 400
    assert "time_zone" in response.json()["fields"]


def _queries(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, params).status_code == 200
    return len(context.captured_queries)


def test_query_count_is_the_same_whatever_the_limit_or_history(alice, alice_client, catalog):
    custom = {"period": "custom", "from": "2026-02-01", "to": "2026-02-28"}
    listen(alice, catalog[0], utc(2026, 2, 1, 12, 0))
    few = [_queries(alice_client, {**params, "limit": 1}) for params in (custom, {"period": "all"})]
    for n in range(30):
        listen(alice, catalog[n % 5], utc(2026, 1, 20, 0, 0) + timedelta(hours=17 * n))

    many = [
        _queries(alice_client, {**params, "limit": 50}) for params in (custom, {"period": "all"})
    ]
    assert many == few
