"""What one user keeps to themselves never shows to anyone else, a hidden track stops streaming
at once, and production answers carry the security headers."""

from datetime import timedelta

import pytest

from tests.hardening.conftest import World

pytestmark = pytest.mark.django_db


def test_searching_public_playlists_never_finds_a_private_one(bob_client, world: World):
    for search in ("Secret", "secret garden", "Mixtape", ""):
        body = bob_client.get("/api/playlists/public/", {"search": search}).json()
        assert world.private_playlist.pk not in {p["id"] for p in body["results"]}
    body = bob_client.get("/api/playlists/public/", {"search": "Secret Garden"}).json()
    assert body["count"] == 0


def test_a_private_playlist_answers_exactly_like_an_unknown_one(bob_client, world: World):
    missing = world.private_playlist.pk + 10_000
    for suffix in ("", "items/", "shares/"):
        private = bob_client.get(f"/api/playlists/{world.private_playlist.pk}/{suffix}")
        unknown = bob_client.get(f"/api/playlists/{missing}/{suffix}")
        assert (private.status_code, private.json()) == (unknown.status_code, unknown.json())
        assert "Secret" not in private.content.decode()


def test_playlists_list_only_the_callers_own(bob_client, world: World):
    body = bob_client.get("/api/playlists/").json()

    assert body["count"] == 0 and body["results"] == []


def test_others_history_and_favorites_never_show(bob_client, world: World):
    history = bob_client.get("/api/history/").json()
    favorites = bob_client.get("/api/favorites/").json()

    assert history["results"] == [] and favorites["results"] == []
    assert favorites["count"] == 0


def test_someone_elses_play_answers_like_an_unknown_one(bob_client, world: World):
    body = {"played_seconds": 30}
    theirs = bob_client.post(f"/api/history/{world.play.pk}/progress/", body, format="json")
    unknown = bob_client.post(
        f"/api/history/{world.play.pk + 10_000}/progress/", body, format="json"
    )

    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json()
    world.play.refresh_from_db()
    assert world.play.played_seconds == 0


def test_clearing_ones_history_leaves_others_alone(bob_client, world: World):
    assert bob_client.delete("/api/history/").json() == {"deleted": 0}
    assert world.owner.plays.count() == 1


def test_a_hidden_track_answers_like_an_unknown_one_to_listeners(bob_client, world: World):
    hidden = bob_client.get(f"/api/tracks/{world.hidden_track.pk}/")
    unknown = bob_client.get(f"/api/tracks/{world.hidden_track.pk + 10_000}/")
    listed = bob_client.get("/api/tracks/", {"search": "Hidden Away"}).json()

    assert (hidden.status_code, hidden.json()) == (unknown.status_code, unknown.json())
    assert listed["results"] == []


def test_stream_urls_stop_the_moment_a_moderator_hides_the_track(
    bob_client, moderator_client, world: World
):
    stream = f"/api/tracks/{world.track.pk}/stream/"
    assert bob_client.post(stream).status_code == 200

    hide = moderator_client.patch(
        f"/api/tracks/{world.track.pk}/", {"is_hidden": True}, format="json"
    )
    assert hide.status_code == 200

    refused = bob_client.post(stream)
    assert refused.status_code == 404
    assert refused.json()["code"] == "not_found"


def test_access_tokens_are_short_lived_and_refresh_tokens_rotate(settings):
    jwt = settings.SIMPLE_JWT
    assert jwt["ACCESS_TOKEN_LIFETIME"] <= timedelta(minutes=15)
    assert jwt["ROTATE_REFRESH_TOKENS"] and jwt["BLACKLIST_AFTER_ROTATION"]


def test_production_answers_carry_the_security_headers(client, settings):
    assert not settings.DEBUG  # tests run with the production settings

    response = client.get("/healthz", secure=True)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def test_api_answers_carry_the_security_headers_too(bob_client):
    response = bob_client.get("/api/tracks/", secure=True)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" in response
