"""GET /api/me/stats/recap/{year}/: a year in review, checked against plain computations."""

from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.insights import reference
from tests.insights.conftest import flattened, listen, utc

KATHMANDU = ZoneInfo("Asia/Kathmandu")


def url(year: int) -> str:
    return f"/api/me/stats/recap/{year}/"


def history(alice, catalog) -> None:
    listen(alice, catalog[3], utc(2025, 6, 1, 12, 0))  # Bix, heard before 2026
    listen(alice, catalog[0], utc(2025, 12, 31, 18, 15))  # 00:00 on 1 January 2026 locally
    for day in range(4):  # 3 to 6 March: a streak of four days
        listen(alice, catalog[1], utc(2026, 3, 3 + day, 9, 0))
    for day in (10, 11):  # 10 and 11 March: two days
        listen(alice, catalog[2], utc(2026, 3, day, 9, 0))
    listen(alice, catalog[4], utc(2026, 7, 1, 9, 0))
    listen(alice, catalog[3], utc(2026, 12, 31, 18, 14))  # 23:59 on 31 December locally
    listen(alice, catalog[3], utc(2026, 12, 31, 18, 15))  # 2027 locally


def test_recap_matches_a_plain_computation(alice, alice_client, catalog):
    history(alice, catalog)

    response = alice_client.get(url(2026), {"tz": KATHMANDU.key})

    assert response.status_code == 200
    body = response.json()
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    plays = reference.plays_between(alice, KATHMANDU, first, last)
    before = reference.plays_between(alice, KATHMANDU, date(2025, 1, 1), date(2025, 12, 31))
    assert body["year"] == 2026
    assert body["totals"] == reference.totals(plays)
    kinds = ("tracks", "artists", "albums", "genres")
    assert flattened(body["top"]) == {k: reference.top(plays, before, k, 5) for k in kinds}
    months = Counter(p.started_at.astimezone(KATHMANDU).month for p in plays)
    assert body["top_month"] == months.most_common(1)[0][0] == 3
    assert body["longest_streak"] == {"days": 4, "from": "2026-03-03", "to": "2026-03-06"}
    earliest = min(plays, key=lambda p: p.started_at)
    assert body["first_listen"]["track"]["id"] == earliest.track_id == catalog[0].pk
    assert body["first_listen"]["at"] == earliest.started_at.isoformat().replace("+00:00", "Z")
    assert body["new_artists"] == {
        "count": 1,
        "items": [{"id": catalog[0].artist_id, "name": "Ada"}],
    }
    assert [(g["genre"]["id"], g["share"]) for g in body["genres"]] == [
        (pk, round(count * 100 / len(plays), 1))
        for pk, count, _ in reference.ranking(plays, "genres")
    ]


def test_a_year_without_listens_gives_zeros_and_nulls(alice, alice_client, catalog):
    listen(alice, catalog[0], utc(2026, 3, 1, 12, 0))

    body = alice_client.get(url(2024)).json()

    assert body["totals"] == {"listens": 0, "minutes": 0.0, "tracks": 0, "artists": 0, "albums": 0}
    assert body["top"] == {"tracks": [], "artists": [], "albums": [], "genres": []}
    assert body["top_month"] is None
    assert body["longest_streak"] == {"days": 0, "from": None, "to": None}
    assert body["first_listen"] is None
    assert body["new_artists"] == {"count": 0, "items": []}
    assert body["genres"] == []


def test_an_artist_heard_in_an_earlier_year_is_not_new(alice, alice_client, catalog):
    listen(alice, catalog[0], utc(2025, 5, 1, 12, 0))
    listen(alice, catalog[1], utc(2026, 5, 1, 12, 0))  # same artist, new track

    assert alice_client.get(url(2026)).json()["new_artists"]["count"] == 0
    assert alice_client.get(url(2025)).json()["new_artists"]["count"] == 1


@pytest.mark.parametrize("year", [1969, 1, timezone.now().year + 2, 99999])
def test_a_year_out_of_range_is_a_400_naming_the_year(alice_client, year):
    response = alice_client.get(url(year))

    assert response.status_code == 400
    assert "year" in response.json()["fields"]


def test_next_year_is_accepted_and_empty(alice_client):
    response = alice_client.get(url(timezone.now().year + 1))

    assert response.status_code == 200
    assert response.json()["totals"]["listens"] == 0


def test_recap_refuses_anonymous_requests_and_bad_time_zones(api_client, alice_client):
    assert api_client.get(url(2026)).status_code == 401
    response = alice_client.get(url(2026), {"tz": "Nowhere/Special"})
    assert response.status_code == 400
    assert "tz" in response.json()["fields"]


def test_recap_covers_exactly_the_local_year(alice, alice_client, catalog):
    listen(alice, catalog[0], utc(2026, 12, 31, 18, 15) - timedelta(seconds=1))
    listen(alice, catalog[0], utc(2026, 12, 31, 18, 15))

    in_kathmandu = alice_client.get(url(2026), {"tz": KATHMANDU.key}).json()
    in_utc = alice_client.get(url(2026), {"tz": "UTC"}).json()

    assert in_kathmandu["totals"]["listens"] == 1
    assert in_utc["totals"]["listens"] == 2
