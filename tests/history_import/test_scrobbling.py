"""Scrobbling in from other players: tokens, and ListenBrainz's submission API."""

import hashlib
import json
import time

import pytest

from core.history_import.models import ScrobbleToken
from core.library.models import ExternalListen

pytestmark = pytest.mark.django_db

SUBMIT = "/1/submit-listens"
VALIDATE = "/1/validate-token"


@pytest.fixture
def token(alice_client) -> str:
    response = alice_client.post("/api/me/tokens/", {"name": "Pano Scrobbler"})
    assert response.status_code == 201, response.json()
    return response.json()["token"]


def listen(title: str = "One", at: int | None = None, **extra) -> dict:
    return {
        "listened_at": int(time.time()) - 60 if at is None else at,
        "track_metadata": {"artist_name": "Ada", "track_name": title, **extra},
    }


def submit(client, token: str | None, body, *, raw: bytes | None = None):
    headers = {"Authorization": f"Token {token}"} if token else {}
    data = raw if raw is not None else json.dumps(body).encode()
    return client.generic("POST", SUBMIT, data, content_type="application/json", headers=headers)


# --- Tokens ------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_stored_hashed(alice, alice_client, token):
    stored = ScrobbleToken.objects.get(user=alice)

    listed = alice_client.get("/api/me/tokens/").json()

    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(listed)
    assert listed == [
        {
            "id": stored.pk,
            "name": "Pano Scrobbler",
            "prefix": token[:8],
            "created_at": listed[0]["created_at"],
            "last_used_at": None,
        }
    ]


def test_a_revoked_token_is_refused(alice_client, api_client, token):
    token_id = ScrobbleToken.objects.get().pk

    assert alice_client.delete(f"/api/me/tokens/{token_id}/").status_code == 204
    response = submit(api_client, token, {"listen_type": "single", "payload": [listen()]})

    assert response.status_code == 401
    assert response.json() == {"code": 401, "error": "Invalid authorization token."}


def test_nobody_lists_or_revokes_another_listeners_tokens(bob_client, token):
    token_id = ScrobbleToken.objects.get().pk

    assert bob_client.get("/api/me/tokens/").json() == []
    assert bob_client.delete(f"/api/me/tokens/{token_id}/").status_code == 404
    assert ScrobbleToken.objects.filter(pk=token_id).exists()


def test_anonymous_callers_cannot_manage_tokens(api_client):
    assert api_client.get("/api/me/tokens/").status_code == 401
    assert api_client.post("/api/me/tokens/").status_code == 401


# --- validate-token ----------------------------------------------------------------------


def test_a_valid_token_is_valid_and_names_its_listener(api_client, token):
    response = api_client.get(VALIDATE, headers={"Authorization": f"Token {token}"})

    assert response.status_code == 200
    assert response.json() == {
        "code": 200,
        "message": "Token valid.",
        "valid": True,
        "user_name": "alice",
    }


def test_an_unknown_token_is_a_200_saying_it_is_not_valid(api_client):
    response = api_client.get(VALIDATE, headers={"Authorization": "Token nope"})

    assert response.status_code == 200
    assert response.json() == {"code": 200, "message": "Token invalid.", "valid": False}


def test_a_token_of_a_deactivated_account_is_not_valid(alice, api_client, token):
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    response = api_client.get(VALIDATE, {"token": token})

    assert response.json()["valid"] is False


def test_validating_without_a_token_is_a_400(api_client):
    response = api_client.get(VALIDATE)

    assert response.status_code == 400
    assert response.json()["code"] == 400


# --- submit-listens ----------------------------------------------------------------------


def test_a_single_listen_becomes_a_counted_scrobble_in_history(alice_client, api_client, token):
    response = submit(api_client, token, {"listen_type": "single", "payload": [listen()]})

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    stored = ExternalListen.objects.get()
    assert (stored.source, stored.title, stored.counted) == ("scrobble", "One", True)
    entry = alice_client.get("/api/history/").json()["results"][0]
    assert entry["source"] == "scrobble" and entry["external"]["title"] == "One"


def test_an_import_submission_stores_each_listen_once(api_client, token):
    payload = [listen(f"T{i}", at=1_700_000_000 + i) for i in range(5)]

    submit(api_client, token, {"listen_type": "import", "payload": payload})
    again = submit(api_client, token, {"listen_type": "import", "payload": payload})

    assert again.status_code == 200
    assert ExternalListen.objects.count() == 5


def test_playing_now_is_accepted_and_never_stored(api_client, token):
    body = {
        "listen_type": "playing_now",
        "payload": [{"track_metadata": listen()["track_metadata"]}],
    }

    response = submit(api_client, token, body)

    assert response.status_code == 200
    assert ExternalListen.objects.count() == 0


def test_a_matched_scrobble_counts_on_its_catalog_track(api_client, token, queen):
    payload = [
        {
            "listened_at": int(time.time()) - 600,
            "track_metadata": {
                "artist_name": "Queen",
                "track_name": "Bohemian Rhapsody",
                "release_name": "A Night at the Opera",
                "additional_info": {"duration_ms": 354_000, "submission_client": "Web Scrobbler"},
            },
        }
    ]

    submit(api_client, token, {"listen_type": "single", "payload": payload})

    assert ExternalListen.objects.get().track == queen
    queen.refresh_from_db()
    assert queen.listen_count == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"listen_type": "single", "payload": []}, "does not contain any listens"),
        ({"listen_type": "single", "payload": [listen(), listen("Two")]}, "exactly one"),
        ({"listen_type": "replay", "payload": [listen()]}, "valid listen_type"),
        ({"payload": [listen()]}, "Invalid JSON document"),
        ({"listen_type": "single", "payload": {"x": 1}}, "should be a list"),
        (
            {"listen_type": "single", "payload": [{"track_metadata": {"artist_name": "A"}}]},
            "listened_at",
        ),
        (
            {"listen_type": "single", "payload": [listen(at=1_000)]},
            "too low",
        ),
        (
            {"listen_type": "single", "payload": [listen(at=int(time.time()) + 7200)]},
            "too high",
        ),
        (
            {"listen_type": "single", "payload": [{**listen(), "extra": 1}]},
            "may only contain",
        ),
        (
            {"listen_type": "single", "payload": [listen(artist_name="")]},
            "track_metadata.artist_name",
        ),
        (
            {"listen_type": "playing_now", "payload": [listen()]},
            "must not contain listened_at",
        ),
    ],
)
def test_an_invalid_submission_is_a_400_in_listenbrainz_shape_storing_nothing(
    api_client, token, body, message
):
    response = submit(api_client, token, body)

    assert response.status_code == 400
    assert response.json()["code"] == 400
    assert message in response.json()["error"]
    assert ExternalListen.objects.count() == 0


def test_more_than_a_thousand_listens_are_refused(api_client, token):
    payload = [listen(f"T{i}", at=1_700_000_000 + i) for i in range(1001)]

    response = submit(api_client, token, {"listen_type": "import", "payload": payload})

    assert response.status_code == 400
    assert "at most 1000" in response.json()["error"]


def test_a_thousand_listens_are_accepted(api_client, token):
    payload = [listen(f"T{i}", at=1_700_000_000 + i) for i in range(1000)]

    response = submit(api_client, token, {"listen_type": "import", "payload": payload})

    assert response.status_code == 200
    assert ExternalListen.objects.count() == 1000


def test_a_listen_larger_than_listenbrainz_allows_is_refused(api_client, token):
    body = {"listen_type": "single", "payload": [listen(release_name="x" * 11_000)]}

    response = submit(api_client, token, body)

    assert response.status_code == 400
    assert "too large" in response.json()["error"]


def test_a_payload_over_the_limit_is_refused_before_parsing(api_client, token):
    response = submit(api_client, token, None, raw=b"{" + b" " * 10_240_001 + b"}")

    assert response.status_code == 400
    assert "Payload too large" in response.json()["error"]


def test_unparseable_json_is_a_400(api_client, token):
    response = submit(api_client, token, None, raw=b"{nope")

    assert response.status_code == 400
    assert response.json()["error"] == "Cannot parse JSON document."


def test_a_submission_without_authorization_is_a_401(api_client):
    response = submit(api_client, None, {"listen_type": "single", "payload": [listen()]})

    assert response.status_code == 401
    assert response.json() == {"code": 401, "error": "You need to provide an Authorization header."}


def test_a_jwt_is_not_a_scrobble_token(alice_client):
    response = alice_client.post(
        SUBMIT, {"listen_type": "single", "payload": [listen()]}, format="json"
    )

    assert response.status_code == 401
    assert ExternalListen.objects.count() == 0


def test_a_listen_half_an_hour_ahead_of_the_clock_is_accepted(api_client, token):
    body = {"listen_type": "single", "payload": [listen(at=int(time.time()) + 1800)]}

    response = submit(api_client, token, body)

    assert response.status_code == 200
    assert ExternalListen.objects.count() == 1
