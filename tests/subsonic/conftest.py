"""Subsonic fixtures: listeners with app passwords, a small library, and a caller that speaks
the protocol (GET by default, POST form on request) and checks every answer's schema."""

import hashlib
import json
import secrets
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.test import Client

from core.accounts.app_passwords import _REMEMBERED, app_password_create
from core.subsonic.artist_index import KEPT
from tests import factories
from tests.subsonic import schema


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Lockout counters and now-playing entries live in the cache, checked app passwords and
    the artist index in the process: none leak between tests (whose writes are rolled back)."""
    cache.clear()
    _REMEMBERED.clear()
    KEPT.forget()
    yield
    cache.clear()
    _REMEMBERED.clear()
    KEPT.forget()


@pytest.fixture
def alice_secret(alice) -> str:
    _, secret = app_password_create(user=alice, name="DSub")
    return secret


@pytest.fixture
def bob_secret(bob) -> str:
    _, secret = app_password_create(user=bob, name="Tempo")
    return secret


def token_auth(username: str, secret: str) -> dict[str, str]:
    salt = secrets.token_hex(6)
    token = hashlib.md5((secret + salt).encode(), usedforsecurity=False).hexdigest()
    return {"u": username, "t": token, "s": salt}


class Subsonic:
    """Calls /rest/ as an app does and returns the parsed `subsonic-response` (JSON dict or
    XML element), after checking it against the schema."""

    def __init__(self, credentials: dict[str, str]):
        self.credentials = credentials
        self.client = Client()

    def raw(self, name: str, /, *, post: bool = False, **params):
        data = {"v": "1.16.1", "c": "tests", **self.credentials, **params}
        if post:
            return self.client.post(f"/rest/{name}", data)
        return self.client.get(f"/rest/{name}", data)

    def json(self, name: str, /, **params) -> dict:
        response = self.raw(name, f="json", **params)
        assert response.status_code == 200
        body = json.loads(response.content)["subsonic-response"]
        schema.check_json(body)
        return body

    def xml(self, name: str, /, **params) -> ElementTree.Element:
        response = self.raw(name, **params)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/xml")
        root = ElementTree.fromstring(response.content)  # noqa: S314 (our own answer)
        schema.check_xml(root)
        return root

    def ok(self, name: str, /, **params) -> dict:
        body = self.json(name, **params)
        assert body["status"] == "ok", body
        return body


@pytest.fixture
def alice_sonic(alice, alice_secret) -> Subsonic:
    return Subsonic(token_auth(alice.username, alice_secret))


@pytest.fixture
def bob_sonic(bob, bob_secret) -> Subsonic:
    return Subsonic(token_auth(bob.username, bob_secret))


@pytest.fixture
def library(db):
    """Two artists, three albums, five playable tracks and one hidden."""
    beatles = factories.ArtistFactory(name="The Beatles")
    abba = factories.ArtistFactory(name="ABBA")
    rock = factories.GenreFactory(name="Rock")
    pop = factories.GenreFactory(name="Pop")
    abbey = factories.AlbumFactory(title="Abbey Road", artist=beatles, year=1969)
    help_ = factories.AlbumFactory(title="Help!", artist=beatles, year=1965)
    arrival = factories.AlbumFactory(title="Arrival", artist=abba, year=1976)
    tracks = {
        "something": factories.TrackFactory(
            title="Something", artist=beatles, album=abbey, track_number=2, duration=182.0
        ),
        "come_together": factories.TrackFactory(
            title="Come Together", artist=beatles, album=abbey, track_number=1, duration=259.0
        ),
        "help": factories.TrackFactory(
            title="Help!", artist=beatles, album=help_, track_number=1, duration=138.0
        ),
        "dancing_queen": factories.TrackFactory(
            title="Dancing Queen", artist=abba, album=arrival, track_number=2, duration=231.0
        ),
        "money": factories.TrackFactory(
            title="Money, Money, Money", artist=abba, album=arrival, track_number=3, year=1976
        ),
        "hidden": factories.TrackFactory(
            title="Hidden Track", artist=abba, album=arrival, track_number=9, is_hidden=True
        ),
    }
    for key in ("something", "come_together", "help"):
        tracks[key].genres.add(rock)
    for key in ("dancing_queen", "money", "hidden"):
        tracks[key].genres.add(pop)
    return {
        "artists": {"beatles": beatles, "abba": abba},
        "albums": {"abbey": abbey, "help": help_, "arrival": arrival},
        "genres": {"rock": rock, "pop": pop},
        "tracks": tracks,
    }
