"""The public playlist directory: anyone may browse and search it; private playlists never show."""

from tests import factories


def test_anyone_lists_public_playlists_newest_first(api_client, alice, bob):
    first = factories.PlaylistFactory(owner=alice, is_public=True, name="Summer")
    second = factories.PlaylistFactory(owner=bob, is_public=True, name="Winter")
    factories.PlaylistFactory(owner=alice, is_public=False, name="Secret summer")

    response = api_client.get("/api/playlists/public/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [p["id"] for p in body["results"]] == [second.pk, first.pk]
    assert body["results"][0]["owner"]["username"] == "bob"


def test_search_matches_public_names_case_insensitively(bob_client, alice):
    summer = factories.PlaylistFactory(owner=alice, is_public=True, name="Endless Summer")
    factories.PlaylistFactory(owner=alice, is_public=True, name="Winter")
    factories.PlaylistFactory(owner=alice, is_public=False, name="Summer secrets")

    response = bob_client.get("/api/playlists/public/", {"search": "summer"})

    assert [p["id"] for p in response.json()["results"]] == [summer.pk]


def test_owner_does_not_see_own_private_playlists_in_the_directory(alice_client, alice):
    factories.PlaylistFactory(owner=alice, is_public=False)

    assert alice_client.get("/api/playlists/public/").json()["count"] == 0


def test_overlong_search_is_refused(api_client, db):
    response = api_client.get("/api/playlists/public/", {"search": "x" * 201})

    assert response.status_code == 400
    assert "search" in response.json()["fields"]


def test_directory_costs_the_same_queries_for_more_playlists(
    api_client, db, django_assert_num_queries
):
    factories.PlaylistFactory(is_public=True)
    with django_assert_num_queries(2) as few:
        api_client.get("/api/playlists/public/")
    factories.PlaylistFactory.create_batch(30, is_public=True)

    with django_assert_num_queries(len(few.captured_queries)):
        response = api_client.get("/api/playlists/public/", {"page_size": 100, "search": "play"})
    assert len(response.json()["results"]) == 31
