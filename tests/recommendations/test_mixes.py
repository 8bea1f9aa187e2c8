"""GET /api/me/mixes/ and POST /api/me/mixes/{id}/save/: daily mixes of 25 to 50 tracks by
genre, read-only, saved as a real playlist on request."""

from core.playlists.models import Playlist
from core.recommendations import training
from tests.conftest import client_for


def _mixes(user) -> list[dict]:
    response = client_for(user).get("/api/me/mixes/")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_listener_gets_a_mix_of_their_genre_with_25_to_50_tracks(trained):
    [mix] = _mixes(trained.alice)

    assert mix["genre"]["name"] == "Rock"
    assert mix["title"] == "Daily mix 1: Rock"
    assert training.MIX_MIN <= len(mix["tracks"]) <= training.MIX_MAX
    rock = {t.pk for t in trained.rock_tracks}
    assert {t["id"] for t in mix["tracks"]} <= rock
    # Tracks they know, mixed with tracks new to them.
    heard = {t.pk for t in trained.alice_heard}
    assert heard & {t["id"] for t in mix["tracks"]}
    assert {t["id"] for t in mix["tracks"]} - heard


def test_a_mix_leaves_out_tracks_hidden_since_training(trained):
    [mix] = _mixes(trained.alice)
    hidden = next(t for t in trained.rock_tracks if t.pk == mix["tracks"][0]["id"])
    hidden.is_hidden = True
    hidden.save()

    [mix] = _mixes(trained.alice)

    assert hidden.pk not in {t["id"] for t in mix["tracks"]}


def test_saving_a_mix_makes_a_private_playlist_of_its_tracks_in_order(trained):
    [mix] = _mixes(trained.alice)

    response = client_for(trained.alice).post(f"/api/me/mixes/{mix['id']}/save/")

    assert response.status_code == 201, response.content
    playlist = Playlist.objects.get(pk=response.json()["id"])
    assert playlist.owner == trained.alice
    assert playlist.is_public is False
    assert playlist.name == mix["title"]
    assert playlist.items_count == len(mix["tracks"])
    items = (
        client_for(trained.alice)
        .get(f"/api/playlists/{playlist.pk}/items/", {"page_size": 100})
        .json()
    )
    ids = [item["track"]["id"] for item in items["results"]]
    assert ids == [t["id"] for t in mix["tracks"]]


def test_a_saved_playlist_does_not_change_when_the_mixes_are_remade(trained):
    [mix] = _mixes(trained.alice)
    saved = client_for(trained.alice).post(f"/api/me/mixes/{mix['id']}/save/").json()

    training.train()

    assert Playlist.objects.get(pk=saved["id"]).items_count == len(mix["tracks"])


def test_another_listeners_mix_cannot_be_saved(trained, bob):
    [mix] = _mixes(trained.alice)

    response = client_for(bob).post(f"/api/me/mixes/{mix['id']}/save/")

    assert response.status_code == 404
    assert not Playlist.objects.filter(owner=bob).exists()


def test_a_new_listener_has_no_mixes_yet(trained, bob):
    assert _mixes(bob) == []


def test_anonymous_callers_get_401(api_client, db):
    assert api_client.get("/api/me/mixes/").status_code == 401
    assert api_client.post("/api/me/mixes/1/save/").status_code == 401


def test_the_query_count_does_not_grow_with_the_mixes_tracks(trained):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.recommendations.models import DailyMixItem

    client = client_for(trained.alice)
    with CaptureQueriesContext(connection) as full:
        client.get("/api/me/mixes/")
    DailyMixItem.objects.filter(mix__user=trained.alice, position__gt=25).delete()
    with CaptureQueriesContext(connection) as shorter:
        client.get("/api/me/mixes/")

    assert len(full) == len(shorter)
