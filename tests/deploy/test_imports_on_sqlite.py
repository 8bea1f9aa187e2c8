"""History imports on the embedded default: the set-based writes (core/bulk.py) take their
multi-row VALUES branch on SQLite, where the suite's PostgreSQL takes COPY. Same file, same
outcome: matched and unmatched listens, duplicates of a second import skipped, statistics, and
rollups that a rebuild from the listens reproduces."""

import json

from tests.deploy.conftest import migrated_sqlite, run_python

SCRIPT = """
import json, django
django.setup()
from datetime import UTC, datetime, timedelta
from rest_framework.test import APIClient
from core.insights.rebuild import rebuild_insights
from tests import factories
from tests.history_import import files
from tests.history_import.conftest import imported
from tests.insights.test_rollups import snapshot

user = factories.UserFactory()
client = APIClient()
client.force_authenticate(user)
queen = factories.ArtistFactory(name="Queen")
album = factories.AlbumFactory(title="A Night at the Opera", artist=queen)
factories.TrackFactory(title="Bohemian Rhapsody", artist=queen, album=album, duration=354.0)
base = datetime.now(UTC).replace(microsecond=0) - timedelta(days=5)
listens = [
    files.listenbrainz_listen(
        artist="Queen", title="Bohemian Rhapsody", at=base + timedelta(minutes=i * 7),
        duration_ms=354_000,
    )
    for i in range(600)  # more than one chunk of rows
] + [
    files.listenbrainz_listen(
        artist="Nobody", title="Song", at=base + timedelta(minutes=i * 5 + 1), duration_ms=200_000
    )
    for i in range(3)
]
data = files.json_lines(listens)
first = imported(client, data, filename="first.jsonl")
again = imported(client, data, filename="again.jsonl")
stats = client.get("/api/me/stats/", {"period": "all"}).json()
rolled = snapshot()
rebuild_insights()
print(json.dumps({
    "first": [first.status, first.imported, first.matched, first.duplicates],
    "again": [again.status, again.imported, again.duplicates],
    "listens": stats["totals"]["listens"],
    "artists": [(a["artist"]["name"], a["count"]) for a in stats["top"]["artists"]],
    "rebuild_equal": snapshot() == rolled,
}))
"""


def test_history_imports_write_the_same_rows_on_sqlite(tmp_path):
    env = migrated_sqlite(tmp_path)

    result = run_python(SCRIPT, env)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["first"] == ["done", 603, 600, 0]
    assert outcome["again"] == ["done", 0, 603]
    assert outcome["listens"] == 603
    assert outcome["artists"] == [["Queen", 600], ["Nobody", 3]]
    assert outcome["rebuild_equal"] is True
