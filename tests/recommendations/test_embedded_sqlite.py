"""On the embedded default (SQLite) training replaces the served tables by deleting and
inserting in one transaction: a second run leaves only its own rows, and mixes are served."""

import json

from tests.deploy.conftest import migrated_sqlite, run_python

SCRIPT = """
import json, django
django.setup()
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken
from core.models import User
from core.recommendations import training
from tests import factories
from tests.recommendations.conftest import _fans, _genre_tracks

_fans(_genre_tracks(factories.GenreFactory(name="Rock"), "Rock"), "fan")

def ids():
    return {m.__name__: sorted(m.objects.values_list("pk", flat=True)) for m in training.SERVED}

training.train()
first = ids()
training.train()
fan = User.objects.get(username="fan0")
client = Client(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(fan)}")
mixes = client.get("/api/me/mixes/").json()
print(json.dumps({"first": first, "second": ids(), "mixes": [len(m["tracks"]) for m in mixes]}))
"""


def test_training_twice_on_sqlite_replaces_what_it_made(tmp_path):
    env = migrated_sqlite(tmp_path)

    result = run_python(SCRIPT, env)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    for name, ids in outcome["second"].items():
        assert len(ids) == len(outcome["first"][name]) > 0, name
        assert min(ids) > max(outcome["first"][name]), name
    assert outcome["mixes"] and all(n >= 25 for n in outcome["mixes"])
