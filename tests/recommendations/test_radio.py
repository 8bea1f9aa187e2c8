"""Radio: POST /api/radio/ starts a session from a seed; GET /api/radio/{id}/next/ never
repeats a track within the session and steers away from what was skipped in it."""

from datetime import timedelta

from django.utils import timezone

from core.recommendations.models import RadioSession
from tests.conftest import client_for
from tests.recommendations.conftest import listened


def _start(client, seed: str, seed_id: int) -> str:
    response = client.post("/api/radio/", {"seed": seed, "id": seed_id}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _next(client, session: str, count: int = 5) -> list[dict]:
    response = client.get(f"/api/radio/{session}/next/", {"count": count})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_track_radio_plays_its_neighbours_first(trained):
    client = client_for(trained.alice)
    seed = trained.rock_tracks[2]
    session = _start(client, "track", seed.pk)

    items = _next(client, session, 5)

    rock = {t.pk for t in trained.rock_tracks}
    assert len(items) == 5
    assert all(item["track"]["id"] in rock for item in items)


def test_a_radio_never_gives_a_track_twice(trained):
    client = client_for(trained.alice)
    session = _start(client, "genre", trained.jazz.pk)

    given = [item["track"]["id"] for _ in range(6) for item in _next(client, session, 10)]

    assert len(given) == 60
    assert len(set(given)) == len(given)


def test_a_skip_steers_the_radio_away_from_that_artist(trained):
    client = client_for(trained.alice)
    session = _start(client, "genre", trained.rock.pk)
    RadioSession.objects.filter(pk=session).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    first = _next(client, session, 3)
    skipped_artist = first[0]["track"]["artist"]["id"]
    track = next(t for t in trained.rock_tracks if t.pk == first[0]["track"]["id"])
    listened(trained.alice, track, days_ago=5 / 1440, counted=False, seconds=4)

    later = [item["track"]["artist"]["id"] for item in _next(client, session, 20)]

    assert later
    assert skipped_artist not in later


def test_a_kept_track_does_not_steer_away(trained):
    client = client_for(trained.alice)
    session = _start(client, "genre", trained.rock.pk)
    RadioSession.objects.filter(pk=session).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    first = _next(client, session, 1)
    artist = first[0]["track"]["artist"]["id"]
    track = next(t for t in trained.rock_tracks if t.pk == first[0]["track"]["id"])
    listened(trained.alice, track, days_ago=5 / 1440, counted=True, seconds=200)

    later = [item["track"]["artist"]["id"] for item in _next(client, session, 20)]

    assert artist in later


def test_an_unknown_seed_is_a_404_and_a_bad_kind_a_400(trained):
    client = client_for(trained.alice)

    assert client.post("/api/radio/", {"seed": "track", "id": 999999}).status_code == 404
    assert client.post("/api/radio/", {"seed": "artist", "id": 999999}).status_code == 404
    assert client.post("/api/radio/", {"seed": "genre", "id": 999999}).status_code == 404
    response = client.post("/api/radio/", {"seed": "mood", "id": 1}, format="json")
    assert response.status_code == 400
    assert "seed" in response.json()["fields"]


def test_a_hidden_track_cannot_seed_a_radio(trained):
    track = trained.rock_tracks[0]
    track.is_hidden = True
    track.save()

    response = client_for(trained.alice).post("/api/radio/", {"seed": "track", "id": track.pk})

    assert response.status_code == 404


def test_a_count_out_of_range_is_a_400(trained):
    client = client_for(trained.alice)
    session = _start(client, "genre", trained.rock.pk)

    for count in ("0", "51", "x"):
        response = client.get(f"/api/radio/{session}/next/", {"count": count})
        assert response.status_code == 400
        assert "count" in response.json()["fields"]


def test_another_listeners_session_is_a_404(trained, bob):
    session = _start(client_for(trained.alice), "genre", trained.rock.pk)

    assert client_for(bob).get(f"/api/radio/{session}/next/").status_code == 404


def test_anonymous_callers_get_401(trained, api_client):
    assert api_client.post("/api/radio/", {"seed": "genre", "id": 1}).status_code == 401
    session = _start(client_for(trained.alice), "genre", trained.rock.pk)
    assert api_client.get(f"/api/radio/{session}/next/").status_code == 401


def test_an_artist_radio_starts_with_that_artist_and_stays_near_it(trained):
    client = client_for(trained.alice)
    artist = trained.jazz_tracks[0].artist
    session = _start(client, "artist", artist.pk)

    items = _next(client, session, 8)

    jazz = {t.pk for t in trained.jazz_tracks}
    assert items[0]["track"]["artist"]["id"] == artist.pk
    assert all(item["track"]["id"] in jazz for item in items)
