"""The embedded default (SQLite, local storage) runs the hot paths whose SQL is written per
database: the stream's history entry, the short search and the items page read with its count."""

import json

from tests.deploy.conftest import migrated_sqlite, run_python

SCRIPT = """
import json, django
django.setup()
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken
from core.library.models import Play
from tests import factories

user = factories.UserFactory()
track = factories.TrackFactory(title="Blue in Green")
factories.TrackFactory(title="Flamenco Sketches")
client = Client(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
url = f"/api/tracks/{track.pk}/stream/"
streams = [client.post(url, "{}", content_type="application/json") for _ in range(2)]
user.set_password("another-Passphrase-9")
user.save()
revoked = client.post(url, "{}", content_type="application/json")
user.is_active = False
user.save()
refused = client.post(url, "{}", content_type="application/json")
search = Client().get("/api/tracks/", {"search": "bl"})
def register(name):
    body = {"username": name, "email": f"{len(name)}{ord(name[1])}@example.com",
            "password": "a-long-and-rare-passphrase"}
    return Client().post("/api/auth/register/", body, content_type="application/json")
registered = [register(name).status_code for name in ("ärger", "ÄRGER", "b\u043eb")]
login = Client().post("/api/auth/token/", {"username": "ÄRGER",
                      "password": "a-long-and-rare-passphrase"}, content_type="application/json")
playlist = factories.PlaylistFactory(owner=user, is_public=True)
for position, item_track in enumerate(factories.TrackFactory.create_batch(3)):
    playlist.items.create(track=item_track, position=position, playable=True)
items = [
    Client().get(f"/api/playlists/{playlist.pk}/items/", {"page_size": 2, "page": page})
    for page in (1, 2, 3)
]
print(json.dumps({
    "statuses": [r.status_code for r in streams],
    "play_ids": [r.json()["play_id"] for r in streams],
    "plays": Play.objects.count(),
    "revoked": revoked.json()["code"],
    "refused": refused.status_code,
    "found": [t["title"] for t in search.json()["results"]],
    "registered": registered,
    "login": login.status_code,
    "items": [
        [r.status_code, r.json().get("count"), len(r.json().get("results", []))] for r in items
    ],
}))
"""


def test_streams_and_searches_on_sqlite(tmp_path):
    env = migrated_sqlite(tmp_path)

    result = run_python(SCRIPT, env)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["statuses"] == [200, 200]
    assert outcome["play_ids"][0] == outcome["play_ids"][1]
    assert outcome["plays"] == 1
    assert outcome["revoked"] == "token_revoked"
    assert outcome["refused"] == 401
    assert outcome["found"] == ["Blue in Green"]
    assert outcome["items"] == [[200, 3, 2], [200, 3, 1], [404, None, 0]]
    # ASCII-only lower() on SQLite: the username key, not the database, tells these apart.
    assert outcome["registered"] == [201, 400, 400]
    assert outcome["login"] == 200


HUGE_IDS_SCRIPT = """
import json, django
django.setup()
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken
from tests import factories

user = factories.UserFactory()
client = Client(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
beyond = 2**63
print(json.dumps({
    "stream": client.post(f"/api/tracks/{beyond}/stream/", "{}", content_type="application/json")
    .status_code,
    "track": client.get(f"/api/tracks/{beyond}/").status_code,
    "artist_filter": client.get("/api/tracks/", {"artist": beyond}).status_code,
    "album_filter": client.get("/api/tracks/", {"album": beyond}).status_code,
    "genre": client.get("/api/tracks/", {"genre": str(beyond)}).status_code,
}))
"""


def test_ids_beyond_64_bits_are_refused_on_sqlite_before_they_overflow_it(tmp_path):
    env = migrated_sqlite(tmp_path)

    result = run_python(HUGE_IDS_SCRIPT, env)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {
        "stream": 404,
        "track": 404,
        "artist_filter": 400,
        "album_filter": 400,
        "genre": 200,
    }
