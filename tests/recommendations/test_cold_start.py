"""A new listener: charts of the genres they chose on their profile, then what is most played."""

from tests import factories
from tests.conftest import client_for

URL = "/api/me/recommendations/tracks/"


def test_a_listener_can_choose_favorite_genres_on_their_profile(world):
    client = client_for(world.alice)

    response = client.patch("/api/me/", {"favorite_genres": [world.jazz.pk]}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["favorite_genres"] == [{"id": world.jazz.pk, "name": "Jazz"}]
    assert client.get("/api/me/").json()["favorite_genres"] == [
        {"id": world.jazz.pk, "name": "Jazz"}
    ]


def test_an_unknown_genre_is_a_400_naming_the_field(world):
    response = client_for(world.alice).patch(
        "/api/me/", {"favorite_genres": [999999]}, format="json"
    )

    assert response.status_code == 400
    assert "favorite_genres" in response.json()["fields"]


def test_a_new_listener_gets_the_charts_of_their_favorite_genres_first(trained):
    newcomer = factories.UserFactory(username="newcomer")
    newcomer.favorite_genres.set([trained.jazz])

    items = client_for(newcomer).get(URL, {"limit": 5}).json()

    jazz = {t.pk for t in trained.jazz_tracks}
    assert len(items) == 5
    assert all(item["track"]["id"] in jazz for item in items)
    assert {item["reason"] for item in items} == {"Popular in Jazz, a genre you like"}


def test_without_favorite_genres_a_new_listener_gets_the_most_played(trained):
    newcomer = factories.UserFactory(username="newcomer")

    items = client_for(newcomer).get(URL, {"limit": 5}).json()

    assert {item["reason"] for item in items} == {"Among the most played on Tonearm"}
