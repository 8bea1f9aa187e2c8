"""On the embedded default (SQLite) there is no change log: getArtists and getIndexes build
the artist index for each call, so a change shows on the next one."""

import json

from tests.deploy.conftest import migrated_sqlite, run_python

SCRIPT = """
import json, django
django.setup()
from django.test import Client
from core.accounts.app_passwords import app_password_create
from core.catalog.models import Artist
from tests import factories

user = factories.UserFactory()
_, secret = app_password_create(user=user, name="app")
for name in ("The Beatles", "abba"):
    factories.TrackFactory(artist=factories.ArtistFactory(name=name))

def names(method, key):
    answer = Client().get(f"/rest/{method}", {"apiKey": secret, "f": "json", "c": "t"}).json()
    index = answer["subsonic-response"][key]["index"]
    return [[e["name"], [a["name"] for a in e["artist"]]] for e in index]

before = names("getArtists", "artists")
Artist.objects.filter(name="abba").update(name="Zappa")
print(json.dumps({"before": before, "after": names("getIndexes", "indexes")}))
"""


def test_the_index_is_built_for_each_call_on_sqlite(tmp_path):
    env = migrated_sqlite(tmp_path)

    result = run_python(SCRIPT, env)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["before"] == [["A", ["abba"]], ["B", ["The Beatles"]]]
    assert outcome["after"] == [["B", ["The Beatles"]], ["Z", ["Zappa"]]]
