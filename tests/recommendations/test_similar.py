"""GET /api/tracks/{id}/similar/ and /api/artists/{id}/similar/: public for public tracks,
scored from co-listening, with fallbacks that say so."""

from core.recommendations import selectors
from tests import factories
from tests.conftest import client_for


def test_a_tracks_neighbours_are_tracks_its_listeners_also_played(trained, api_client):
    track = trained.rock_tracks[1]

    response = api_client.get(f"/api/tracks/{track.pk}/similar/", {"limit": 5})

    assert response.status_code == 200
    items = response.json()
    rock = {t.pk for t in trained.rock_tracks}
    assert len(items) == 5
    assert all(item["track"]["id"] in rock - {track.pk} for item in items)
    assert all(item["reason"] == selectors.SAME_PEOPLE for item in items)
    scores = [item["score"] for item in items]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0


def test_a_track_nobody_played_falls_back_to_its_artist_then_its_genre(trained, api_client):
    artist = factories.ArtistFactory(name="Newcomer")
    new, sibling = (factories.TrackFactory(artist=artist, genres=[trained.jazz]) for _ in range(2))

    items = api_client.get(f"/api/tracks/{new.pk}/similar/", {"limit": 3}).json()

    assert items[0]["track"]["id"] == sibling.pk
    assert items[0]["reason"] == "More by Newcomer (too few listens yet to compare listeners)"
    assert items[0]["score"] is None
    jazz = {t.pk for t in trained.jazz_tracks}
    assert all(item["track"]["id"] in jazz for item in items[1:])
    assert all(item["reason"].startswith("Also Jazz (too few listens") for item in items[1:])


def test_a_hidden_neighbour_is_never_listed(trained, api_client):
    track = trained.rock_tracks[1]
    first = api_client.get(f"/api/tracks/{track.pk}/similar/").json()[0]["track"]["id"]
    factories.TrackFactory._meta.model.objects.filter(pk=first).update(is_hidden=True)

    ids = [i["track"]["id"] for i in api_client.get(f"/api/tracks/{track.pk}/similar/").json()]

    assert first not in ids


def test_a_hidden_track_has_no_similar_page_but_for_moderators(trained, api_client, moderator):
    track = trained.rock_tracks[1]
    track.is_hidden = True
    track.save()

    assert api_client.get(f"/api/tracks/{track.pk}/similar/").status_code == 404
    assert client_for(moderator).get(f"/api/tracks/{track.pk}/similar/").status_code == 200


def test_unknown_tracks_and_artists_are_404(db, api_client):
    assert api_client.get("/api/tracks/999999/similar/").status_code == 404
    assert api_client.get("/api/artists/999999/similar/").status_code == 404


def test_a_limit_out_of_range_is_a_400(trained, api_client):
    track = trained.rock_tracks[0]
    response = api_client.get(f"/api/tracks/{track.pk}/similar/", {"limit": 0})
    assert response.status_code == 400
    assert "limit" in response.json()["fields"]


def test_an_artists_neighbours_share_its_listeners(trained, api_client):
    artist = trained.rock_tracks[0].artist

    items = api_client.get(f"/api/artists/{artist.pk}/similar/").json()

    rock_artists = {t.artist_id for t in trained.rock_tracks} - {artist.pk}
    assert {item["artist"]["id"] for item in items} == rock_artists
    assert all(item["reason"] == selectors.SAME_PEOPLE and item["score"] > 0 for item in items)


def test_an_artist_nobody_played_falls_back_to_its_genre(trained, api_client):
    artist = factories.ArtistFactory(name="Newcomer")
    factories.TrackFactory(artist=artist, genres=[trained.jazz])

    items = api_client.get(f"/api/artists/{artist.pk}/similar/").json()

    jazz_artists = {t.artist_id for t in trained.jazz_tracks}
    assert {item["artist"]["id"] for item in items} == jazz_artists
    assert all(item["reason"].startswith("Also Jazz") for item in items)
    assert all(item["score"] is None for item in items)


def test_the_query_count_does_not_grow_with_the_limit(trained, api_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    track, artist = trained.rock_tracks[1], trained.rock_tracks[1].artist
    counts = []
    # Both limits are served by the model alone (a fallback adds its own queries, once).
    for limit in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            api_client.get(f"/api/tracks/{track.pk}/similar/", {"limit": limit})
            api_client.get(f"/api/artists/{artist.pk}/similar/", {"limit": limit})
        counts.append(len(queries))

    assert counts[0] == counts[1]
