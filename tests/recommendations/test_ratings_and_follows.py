"""Ratings and follows as signals: a track or album rated 1 or 2 stars never comes back in
for-you, mixes or radio; a track rated 4 or 5 stars seeds recommendations like a favorite; a
followed artist's tracks rank higher and their new tracks reach the follower, and a genre's new
tracks reach its listeners, each with a true reason."""

import pytest

from core.artists.services import artist_follow, artist_unfollow
from core.catalog.models import Track
from core.models import User
from core.ratings.services import set_rating
from core.recommendations import training
from tests import factories
from tests.conftest import client_for

FOR_YOU = "/api/me/recommendations/tracks/"


def _for_you(user, limit: int = 50) -> list[dict]:
    response = client_for(user).get(FOR_YOU, {"limit": limit})
    assert response.status_code == 200, response.content
    return response.json()


def _track(world, pk: int) -> Track:
    return Track.objects.get(pk=pk)


def test_a_track_rated_one_or_two_stars_leaves_the_listeners_recommendations(trained):
    first, second = (item["track"]["id"] for item in _for_you(trained.alice, limit=2))
    set_rating(user=trained.alice, item=_track(trained, first), stars=1)
    set_rating(user=trained.alice, item=_track(trained, second), stars=2)

    ids = {item["track"]["id"] for item in _for_you(trained.alice)}

    assert first not in ids
    assert second not in ids


def test_a_track_rated_three_stars_or_more_stays(trained):
    first = _for_you(trained.alice, limit=1)[0]["track"]["id"]
    set_rating(user=trained.alice, item=_track(trained, first), stars=3)

    items = _for_you(trained.alice)

    [item] = [i for i in items if i["track"]["id"] == first]
    assert item["track"]["my_rating"] == 3


def test_an_album_rated_badly_takes_all_its_tracks_out(trained):
    first = _track(trained, _for_you(trained.alice, limit=1)[0]["track"]["id"])
    set_rating(user=trained.alice, item=first.album, stars=1)

    albums = {
        item["track"]["album"]["id"] for item in _for_you(trained.alice) if item["track"]["album"]
    }

    assert first.album_id not in albums


def test_a_badly_rated_track_leaves_the_mixes_and_the_saved_playlist(trained):
    client = client_for(trained.alice)
    [mix] = client.get("/api/me/mixes/").json()
    rated = _track(trained, mix["tracks"][0]["id"])
    set_rating(user=trained.alice, item=rated, stars=2)

    [mix] = client.get("/api/me/mixes/").json()
    saved = client.post(f"/api/me/mixes/{mix['id']}/save/").json()
    items = client.get(f"/api/playlists/{saved['id']}/items/", {"page_size": 100}).json()

    assert rated.pk not in {t["id"] for t in mix["tracks"]}
    assert rated.pk not in {row["track"]["id"] for row in items["results"]}


def test_a_radio_never_plays_a_badly_rated_track_or_album(trained):
    seed = trained.rock_tracks[0]
    bad_track = trained.rock_tracks[8]
    bad_album = trained.rock_tracks[12].album
    set_rating(user=trained.alice, item=bad_track, stars=1)
    set_rating(user=trained.alice, item=bad_album, stars=2)
    client = client_for(trained.alice)
    session = client.post("/api/radio/", {"seed": "track", "id": seed.pk}, format="json").json()

    given = []
    for _ in range(4):
        response = client.get(f"/api/radio/{session['id']}/next/", {"count": 20})
        assert response.status_code == 200, response.content
        given += [item["track"] for item in response.json()]

    assert len(given) > 40
    assert bad_track.pk not in {t["id"] for t in given}
    assert bad_album.pk not in {t["album"]["id"] for t in given if t["album"]}


def test_a_track_rated_highly_seeds_recommendations_with_that_reason(trained):
    newcomer = factories.UserFactory(username="newcomer")
    loved = trained.jazz_tracks[0]
    set_rating(user=newcomer, item=loved, stars=5)
    training.train()

    items = _for_you(newcomer, limit=10)

    reason = f"Because you rated {loved.title} by {loved.artist.name} highly"
    model_items = [i for i in items if i["score"] is not None]
    assert model_items
    assert all(i["reason"] == reason for i in model_items)
    jazz = {t.pk for t in trained.jazz_tracks}
    assert all(i["track"]["id"] in jazz for i in model_items)


def test_a_bad_rating_is_not_a_seed(trained):
    newcomer = factories.UserFactory(username="newcomer")
    set_rating(user=newcomer, item=trained.jazz_tracks[0], stars=1)
    training.train()

    items = _for_you(newcomer, limit=10)

    assert all(i["score"] is None for i in items)
    assert trained.jazz_tracks[0].pk not in {i["track"]["id"] for i in items}


def test_following_an_artist_raises_their_tracks_by_the_follow_boost(trained):
    before = {
        i["track"]["id"]: i for i in _for_you(trained.alice, limit=100) if i["score"] is not None
    }
    followed = _track(trained, next(iter(before))).artist
    artist_follow(user=trained.alice, artist_id=followed.pk)
    training.train()

    after = {i["track"]["id"]: i for i in _for_you(trained.alice, limit=100)}

    boosted = [pk for pk in before if _track(trained, pk).artist_id == followed.pk and pk in after]
    assert boosted
    for pk in boosted:
        assert after[pk]["score"] == pytest.approx(before[pk]["score"] * training.FOLLOW_BOOST)
        # The reason stays the one that is true: what the listener played.
        assert after[pk]["reason"] == before[pk]["reason"]


def _new_track(artist, genre, title: str) -> Track:
    return factories.TrackFactory(title=title, artist=artist, genres=[genre])


def test_a_followed_artists_new_track_reaches_the_follower_and_says_why(trained):
    jazz_artist = trained.jazz_tracks[0].artist
    artist_follow(user=trained.alice, artist_id=jazz_artist.pk)
    fresh = _new_track(jazz_artist, trained.jazz, "Fresh jazz")
    training.train()

    items = {i["track"]["id"]: i for i in _for_you(trained.alice)}

    assert items[fresh.pk]["reason"] == f"New from {jazz_artist.name}, whom you follow"


def test_after_unfollowing_the_new_track_is_no_longer_offered_for_the_follow(trained):
    jazz_artist = trained.jazz_tracks[0].artist
    artist_follow(user=trained.alice, artist_id=jazz_artist.pk)
    fresh = _new_track(jazz_artist, trained.jazz, "Fresh jazz")
    training.train()
    artist_unfollow(user=trained.alice, artist_id=jazz_artist.pk)

    items = _for_you(trained.alice)

    # It may still come as a chart filler, never as the follow's candidate.
    assert all(i["score"] is None for i in items if i["track"]["id"] == fresh.pk)
    assert not any("whom you follow" in i["reason"] for i in items)


def test_a_new_track_reaches_the_listeners_of_its_genre_only(trained):
    newcomer_artist = factories.ArtistFactory(name="Debut band")
    fresh = _new_track(newcomer_artist, trained.rock, "Debut single")
    training.train()
    jazz_fan = trained.jazz_tracks[0].plays.values_list("user", flat=True).first()

    alices = {i["track"]["id"]: i for i in _for_you(trained.alice)}
    jazz_fans = _for_you(User.objects.get(pk=jazz_fan))

    assert alices[fresh.pk]["reason"] == "New in Rock, a genre you listen to"
    assert alices[fresh.pk]["score"] is not None
    # A jazz listener may meet it among the chart fillers, never as new in their genre.
    assert all(i["score"] is None for i in jazz_fans if i["track"]["id"] == fresh.pk)
    assert not any(i["reason"].startswith("New in") for i in jazz_fans)


def test_a_badly_rated_new_track_is_not_offered(trained):
    jazz_artist = trained.jazz_tracks[0].artist
    artist_follow(user=trained.alice, artist_id=jazz_artist.pk)
    fresh = _new_track(jazz_artist, trained.jazz, "Fresh jazz")
    set_rating(user=trained.alice, item=fresh, stars=1)
    training.train()

    assert fresh.pk not in {i["track"]["id"] for i in _for_you(trained.alice)}
