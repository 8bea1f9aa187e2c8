"""GET /api/me/stats/activity/: when one listens, in one's own time zone."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.insights import reference
from tests.insights.conftest import listen, utc

URL = "/api/me/stats/activity/"


def around(alice, catalog, start, minutes: list[int]) -> None:
    for n, offset in enumerate(minutes):
        listen(alice, catalog[n % 5], start + timedelta(minutes=offset))


@pytest.mark.parametrize(
    ("zone", "start", "first", "last"),
    [
        # +5:30: local midnight is 18:30 UTC.
        ("Asia/Kolkata", utc(2026, 2, 1, 17, 0), date(2026, 2, 1), date(2026, 2, 3)),
        # +5:45: local midnight is 18:15 UTC.
        ("Asia/Kathmandu", utc(2026, 2, 1, 17, 0), date(2026, 2, 1), date(2026, 2, 3)),
        # Spring forward on 8 March 2026: 02:00 EST becomes 03:00 EDT (07:00 UTC).
        ("America/New_York", utc(2026, 3, 8, 3, 0), date(2026, 3, 7), date(2026, 3, 9)),
        # Fall back on 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00 UTC).
        ("Europe/Berlin", utc(2026, 10, 24, 21, 0), date(2026, 10, 24), date(2026, 10, 26)),
        # Lord Howe moves by half an hour: +11 to +10:30 on 5 April 2026 (15:00 UTC).
        ("Australia/Lord_Howe", utc(2026, 4, 4, 12, 0), date(2026, 4, 4), date(2026, 4, 6)),
    ],
)
def test_activity_matches_a_plain_computation_in_the_listeners_zone(
    alice, alice_client, catalog, zone, start, first, last
):
    # Every 15 minutes for 10 hours, then on the minutes just around the hours.
    around(alice, catalog, start, [15 * n for n in range(40)] + [59, 60, 61, 119, 120, 121])
    around(alice, catalog, start + timedelta(days=1), [0, 29, 30, 44, 45, 46])

    response = alice_client.get(
        URL, {"period": "custom", "from": first.isoformat(), "to": last.isoformat(), "tz": zone}
    )

    assert response.status_code == 200
    tz = ZoneInfo(zone)
    plays = reference.plays_between(alice, tz, first, last)
    assert response.json() == reference.activity(plays, tz, first, last)
    assert sum(response.json()["by_hour"]) == len(plays) > 0


def test_a_listen_at_kathmandu_midnight_falls_on_the_new_day_and_hour_zero(
    alice, alice_client, catalog
):
    listen(alice, catalog[0], utc(2026, 2, 1, 18, 15))  # 00:00 on 2 February, +5:45
    listen(alice, catalog[1], utc(2026, 2, 1, 18, 14, 59))  # 23:59:59 on 1 February

    body = alice_client.get(
        URL, {"period": "custom", "from": "2026-02-01", "to": "2026-02-02", "tz": "Asia/Kathmandu"}
    ).json()

    assert [day["listens"] for day in body["daily"]] == [1, 1]
    assert body["by_hour"][0] == 1 and body["by_hour"][23] == 1
    assert body["by_weekday"][6] == 1 and body["by_weekday"][0] == 1  # Sunday, Monday


def test_activity_is_empty_but_complete_without_listens(alice_client):
    body = alice_client.get(URL, {"period": "7d"}).json()

    assert body["by_hour"] == [0] * 24 and body["by_weekday"] == [0] * 7
    assert body["by_month"] == [0] * 12
    assert [day["listens"] for day in body["daily"]] == [0] * 7


def test_activity_refuses_anonymous_requests_and_bad_time_zones(api_client, alice_client):
    assert api_client.get(URL).status_code == 401
    response = alice_client.get(URL, {"tz": "UTC+5"})
    assert response.status_code == 400
    assert "tz" in response.json()["fields"]
