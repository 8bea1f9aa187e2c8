"""The embedded default (SQLite) runs the feed's fan-out statement, follows, ratings, the
ordering by rating and an artist's statistics."""

import json

from tests.deploy.conftest import migrated_sqlite, run_python

SCRIPT = """
import json, django
django.setup()
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken
from core.artists.feed import feed_publish_track
from core.artists.models import FeedEntry
from core.ratings.services import set_rating
from tests import factories

fan, other = factories.UserFactory(), factories.UserFactory()
artist = factories.ArtistFactory()
client = Client(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(fan)}")
follow = [client.post(f"/api/artists/{artist.pk}/follow/").json() for _ in range(2)]
track = factories.TrackFactory(artist=artist)
for _ in range(2):
    feed_publish_track(track_id=track.pk)
feed = client.get("/api/me/feed/").json()
set_rating(user=fan, item=track, stars=5)
set_rating(user=other, item=track, stars=2)
rated = client.put(f"/api/tracks/{track.pk}/rating/", '{"stars": 4}',
                   content_type="application/json").json()
factories.TrackFactory(title="Unrated")
ordered = Client().get("/api/tracks/", {"ordering": "-rating", "min_ratings": "2"}).json()
print(json.dumps({
    "follow": follow,
    "entries": FeedEntry.objects.count(),
    "feed": [item["kind"] for item in feed["results"]],
    "rated": rated,
    "ordered": [t["id"] for t in ordered["results"]],
    "track": track.pk,
}))
"""


def test_follows_the_feed_and_ratings_on_sqlite(tmp_path):
    env = migrated_sqlite(tmp_path)

    result = run_python(SCRIPT, env)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["follow"] == [{"following": True, "follower_count": 1}] * 2
    assert outcome["entries"] == 2  # the track and its album, once each
    assert sorted(outcome["feed"]) == ["album", "track"]
    assert outcome["rated"] == {"my_rating": 4, "rating_average": 3.0, "rating_count": 2}
    assert outcome["ordered"] == [outcome["track"]]


STATS_SCRIPT = """
import json, django
django.setup()
from datetime import UTC, datetime, timedelta
from django.test import Client, override_settings
from rest_framework_simplejwt.tokens import AccessToken
from core.artists.models import ArtistManager
from core.insights.models import ArtistDayVersion
from core.library import services
from core.library.models import Play
from tests import factories

manager, fan = factories.UserFactory(), factories.UserFactory()
artist = factories.ArtistFactory()
ArtistManager.objects.create(artist=artist, user=manager)
track = factories.TrackFactory(artist=artist, duration=200.0)
now = datetime.now(UTC)


def heard(days):
    play = Play.objects.create(user=fan, track=track, started_at=now - timedelta(days=days))
    services.play_report_progress(user=fan, play_id=play.pk, played_seconds=200.0)


client = Client(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(manager)}")
url = f"/api/artists/{artist.pk}/stats/?period=12m"
heard(40)
before = client.get(url).json()
heard(70)  # synced late
after = client.get(url).json()
with override_settings(INSIGHTS_STATS_CACHE_SECONDS=0):
    whole = client.get(url).json()
versions = list(ArtistDayVersion.objects.values_list("artist_id", flat=True))
print(json.dumps({"before": before, "after": after, "whole": whole, "versions": versions,
                  "artist": artist.pk}, default=str))
"""


def test_artist_statistics_on_sqlite_show_a_late_listen(tmp_path):
    env = migrated_sqlite(tmp_path)

    result = run_python(STATS_SCRIPT, env)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["before"]["totals"]["listens"] == 1
    assert outcome["after"] == outcome["whole"]
    assert outcome["after"]["totals"]["listens"] == 2
    assert set(outcome["versions"]) == {outcome["artist"]}
