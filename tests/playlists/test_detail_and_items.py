"""A playlist's detail and its items, in order, as listeners see them."""

from core.catalog.models import TrackStatus
from tests import factories
from tests.playlists.conftest import change_track, listed_order, make_playlist


def test_detail_shows_the_playlist_and_its_first_items(alice_client, alice, tracks):
    playlist = make_playlist(alice, tracks, name="Evening", description="Calm")
    factories.FavoriteFactory(user=alice, track=tracks[1])

    response = alice_client.get(f"/api/playlists/{playlist.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Evening"
    assert body["description"] == "Calm"
    assert body["owner"]["username"] == "alice"
    assert body["snapshot_id"] == playlist.snapshot_id
    assert body["items_count"] == 5
    items = body["items"]
    assert items["count"] == 5
    assert items["next"] is None
    assert [item["position"] for item in items["results"]] == [0, 1, 2, 3, 4]
    assert [item["track"]["id"] for item in items["results"]] == [t.pk for t in tracks]
    assert [item["track"]["is_favorite"] for item in items["results"]] == [
        False,
        True,
        False,
        False,
        False,
    ]
    first = items["results"][0]
    assert set(first) == {"item_id", "position", "track", "added_at"}
    assert "storage_key" not in first["track"]


def test_detail_links_to_the_next_page_of_items(api_client, alice):
    playlist = make_playlist(alice, factories.TrackFactory.create_batch(23), is_public=True)

    items = api_client.get(f"/api/playlists/{playlist.pk}/").json()["items"]

    assert items["count"] == 23
    assert len(items["results"]) == 20
    assert items["next"].endswith(f"/api/playlists/{playlist.pk}/items/?page=2")
    second = api_client.get(items["next"]).json()
    assert [item["position"] for item in second["results"]] == [20, 21, 22]


def test_items_pages_number_positions_across_pages(alice_client, alice, tracks):
    playlist = make_playlist(alice, tracks)

    response = alice_client.get(f"/api/playlists/{playlist.pk}/items/", {"page_size": 2, "page": 2})

    body = response.json()
    assert body["count"] == 5
    assert [item["position"] for item in body["results"]] == [2, 3]
    assert [item["track"]["id"] for item in body["results"]] == [tracks[2].pk, tracks[3].pk]


def test_same_track_may_appear_twice(alice_client, alice, tracks):
    playlist = make_playlist(alice, [tracks[0], tracks[1], tracks[0]])

    results = alice_client.get(f"/api/playlists/{playlist.pk}/").json()["items"]["results"]

    assert [item["track"]["id"] for item in results] == [tracks[0].pk, tracks[1].pk, tracks[0].pk]
    assert len({item["item_id"] for item in results}) == 3


def test_hidden_and_unready_tracks_drop_out_and_indexes_close_up(alice_client, alice, tracks):
    playlist = make_playlist(alice, tracks)
    change_track(tracks[1], is_hidden=True)
    change_track(tracks[3], status=TrackStatus.FAILED)

    assert listed_order(alice_client, playlist) == [tracks[0].pk, tracks[2].pk, tracks[4].pk]


def test_unhidden_track_reappears_in_place(alice_client, alice, tracks):
    playlist = make_playlist(alice, tracks)
    change_track(tracks[2], is_hidden=True)
    alice_client.post(
        f"/api/playlists/{playlist.pk}/reorder/", {"range_start": 0, "insert_before": 4}
    )

    change_track(tracks[2], is_hidden=False)

    assert listed_order(alice_client, playlist) == [
        tracks[1].pk,
        tracks[2].pk,
        tracks[3].pk,
        tracks[4].pk,
        tracks[0].pk,
    ]


def test_deleted_track_disappears_without_breaking_the_order(alice_client, alice, tracks):
    playlist = make_playlist(alice, tracks)

    tracks[2].delete()

    assert listed_order(alice_client, playlist) == [t.pk for t in tracks if t != tracks[2]]


def test_moderator_does_not_see_hidden_items_through_the_api_either(
    moderator_client, alice, tracks
):
    playlist = make_playlist(alice, tracks, is_public=True)
    change_track(tracks[0], is_hidden=True)

    assert listed_order(moderator_client, playlist) == [t.pk for t in tracks[1:]]


def test_items_cost_the_same_queries_for_a_longer_page(
    alice_client, alice, django_assert_num_queries
):
    genre = factories.GenreFactory()
    playlist = make_playlist(alice, factories.TrackFactory.create_batch(2, genres=[genre]))
    url = f"/api/playlists/{playlist.pk}/items/"
    with django_assert_num_queries(5) as few:
        alice_client.get(url)
    long = make_playlist(alice, factories.TrackFactory.create_batch(40, genres=[genre]))

    with django_assert_num_queries(len(few.captured_queries)):
        response = alice_client.get(f"/api/playlists/{long.pk}/items/", {"page_size": 40})
    assert len(response.json()["results"]) == 40


def test_detail_costs_the_same_queries_for_a_longer_playlist(
    alice_client, alice, django_assert_num_queries
):
    short = make_playlist(alice, factories.TrackFactory.create_batch(2))
    with django_assert_num_queries(5) as few:
        alice_client.get(f"/api/playlists/{short.pk}/")
    long = make_playlist(alice, factories.TrackFactory.create_batch(25))

    with django_assert_num_queries(len(few.captured_queries)):
        alice_client.get(f"/api/playlists/{long.pk}/")


def test_unknown_playlist_is_404_with_the_error_shape(alice_client, db):
    response = alice_client.get("/api/playlists/999999/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Playlist not found."}
