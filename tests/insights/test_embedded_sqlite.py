"""The embedded default (SQLite) serves statistics from kept months, the settled weeks and the
days since the settled edge, with the same figures as computed whole."""

import json

from tests.deploy.conftest import migrated_sqlite, run_python

SCRIPT = """
import json, django
django.setup()
from datetime import UTC, datetime, timedelta
from django.test import Client, override_settings
from rest_framework_simplejwt.tokens import AccessToken
from core.library import services
from core.library.models import Play
from tests import factories

user = factories.UserFactory()
tracks = [factories.TrackFactory(duration=200.0) for _ in range(4)]
now = datetime.now(UTC)
for n in range(40):
    play = Play.objects.create(
        user=user, track=tracks[n % 4], started_at=now - timedelta(days=n * 11 + 1, hours=n)
    )
    services.play_report_progress(user=user, play_id=play.pk, played_seconds=200.0)
client = Client(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
paths = ["/api/me/stats/?period=12m", "/api/me/stats/?period=all",
         "/api/me/stats/activity/?period=12m", f"/api/me/stats/recap/{now.year - 1}/"]
kept = [client.get(path).json() for path in paths]
again = [client.get(path).json() for path in paths]
with override_settings(INSIGHTS_STATS_CACHE_SECONDS=0):
    whole = [client.get(path).json() for path in paths]
print(json.dumps({"kept": kept, "again": again, "whole": whole}, default=str))
"""


def test_statistics_on_sqlite_equal_the_whole_computation(tmp_path):
    env = migrated_sqlite(tmp_path)

    result = run_python(SCRIPT, env)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["kept"] == outcome["whole"] == outcome["again"]
    twelve_months, all_time = outcome["kept"][0], outcome["kept"][1]
    assert 30 <= twelve_months["totals"]["listens"] < all_time["totals"]["listens"] == 40
    assert sum(outcome["kept"][2]["by_hour"]) == twelve_months["totals"]["listens"]
