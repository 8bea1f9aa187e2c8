"""Unlisted sharing: the owner makes links with unguessable tokens; anyone holding a live link
sees the playlist, each visit counted, until the link is revoked or expires."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.playlists.models import PlaylistShare
from core.playlists.services import SHARES_PER_PLAYLIST_MAX
from tests import factories
from tests.playlists.conftest import change_track, make_playlist


def _share(client, playlist, **body):
    return client.post(f"/api/playlists/{playlist.pk}/shares/", body)


def test_owner_creates_a_share_link(alice_client, private_playlist):
    expires_at = timezone.now() + timedelta(days=7)

    response = _share(alice_client, private_playlist, expires_at=expires_at.isoformat())

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "token", "url", "expires_at", "visit_count", "created_at"}
    assert len(body["token"]) >= 32
    assert body["url"] == f"http://testserver/api/shared/{body['token']}/"
    assert body["visit_count"] == 0
    assert PlaylistShare.objects.get(pk=body["id"]).expires_at == expires_at


def test_each_link_has_its_own_token(alice_client, private_playlist):
    tokens = {_share(alice_client, private_playlist).json()["token"] for _ in range(3)}

    assert len(tokens) == 3


@pytest.mark.parametrize(
    "expires_at",
    [
        lambda: (timezone.now() - timedelta(minutes=1)).isoformat(),
        lambda: timezone.now().isoformat(),
        lambda: "next tuesday",
    ],
)
def test_expiry_must_be_a_future_time(alice_client, private_playlist, expires_at):
    response = _share(alice_client, private_playlist, expires_at=expires_at())

    assert response.status_code == 400
    assert "expires_at" in response.json()["fields"]
    assert not PlaylistShare.objects.exists()


def test_owner_lists_live_and_expired_links_but_not_revoked_ones(alice_client, private_playlist):
    live = factories.PlaylistShareFactory(playlist=private_playlist)
    expired = factories.PlaylistShareFactory(
        playlist=private_playlist, expires_at=timezone.now() - timedelta(days=1)
    )
    factories.PlaylistShareFactory(playlist=private_playlist, revoked_at=timezone.now())
    factories.PlaylistShareFactory()

    response = alice_client.get(f"/api/playlists/{private_playlist.pk}/shares/")

    assert response.status_code == 200
    assert [s["id"] for s in response.json()["results"]] == [expired.pk, live.pk]


def test_share_list_costs_the_same_queries_for_more_links(
    alice_client, private_playlist, django_assert_num_queries
):
    factories.PlaylistShareFactory(playlist=private_playlist)
    url = f"/api/playlists/{private_playlist.pk}/shares/"
    with django_assert_num_queries(4) as few:
        alice_client.get(url)
    factories.PlaylistShareFactory.create_batch(20, playlist=private_playlist)

    with django_assert_num_queries(len(few.captured_queries)):
        alice_client.get(url, {"page_size": 50})


def test_anyone_with_a_live_link_sees_a_private_playlist(api_client, alice, tracks):
    playlist = make_playlist(alice, tracks, name="Just for friends")
    share = factories.PlaylistShareFactory(playlist=playlist)

    response = api_client.get(f"/api/shared/{share.token}/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == playlist.pk
    assert body["name"] == "Just for friends"
    assert [item["track"]["id"] for item in body["items"]["results"]] == [t.pk for t in tracks]
    assert [item["position"] for item in body["items"]["results"]] == [0, 1, 2, 3, 4]
    assert api_client.get(f"/api/playlists/{playlist.pk}/").status_code == 404


def test_each_visit_is_counted(api_client, bob_client, private_playlist):
    share = factories.PlaylistShareFactory(playlist=private_playlist)

    api_client.get(f"/api/shared/{share.token}/")
    bob_client.get(f"/api/shared/{share.token}/")
    api_client.get(f"/api/shared/{share.token}/items/")

    share.refresh_from_db()
    assert share.visit_count == 2


def test_shared_items_page_on(api_client, alice):
    playlist = make_playlist(alice, factories.TrackFactory.create_batch(22))
    share = factories.PlaylistShareFactory(playlist=playlist)

    first = api_client.get(f"/api/shared/{share.token}/").json()["items"]
    second = api_client.get(first["next"]).json()

    assert first["next"].endswith(f"/api/shared/{share.token}/items/?page=2")
    assert [item["position"] for item in second["results"]] == [20, 21]


def test_shared_view_hides_unavailable_tracks(api_client, private_playlist, tracks):
    share = factories.PlaylistShareFactory(playlist=private_playlist)
    change_track(tracks[0], is_hidden=True)

    body = api_client.get(f"/api/shared/{share.token}/").json()

    assert [item["track"]["id"] for item in body["items"]["results"]] == [t.pk for t in tracks[1:]]


def test_owner_revokes_a_link_and_it_stops_working(alice_client, api_client, private_playlist):
    share = factories.PlaylistShareFactory(playlist=private_playlist)
    assert api_client.get(f"/api/shared/{share.token}/").status_code == 200

    response = alice_client.delete(f"/api/playlists/{private_playlist.pk}/shares/{share.pk}/")

    assert response.status_code == 204
    assert api_client.get(f"/api/shared/{share.token}/").status_code == 404
    assert api_client.get(f"/api/shared/{share.token}/items/").status_code == 404
    again = alice_client.delete(f"/api/playlists/{private_playlist.pk}/shares/{share.pk}/")
    assert again.status_code == 404


def test_a_link_of_another_playlist_cannot_be_revoked_through_this_one(
    alice_client, alice, private_playlist
):
    other = factories.PlaylistShareFactory(playlist=make_playlist(alice))

    response = alice_client.delete(f"/api/playlists/{private_playlist.pk}/shares/{other.pk}/")

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_expired_link_is_404(api_client, private_playlist):
    share = factories.PlaylistShareFactory(
        playlist=private_playlist, expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = api_client.get(f"/api/shared/{share.token}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    share.refresh_from_db()
    assert share.visit_count == 0


def test_unknown_token_is_404(api_client, db):
    assert api_client.get("/api/shared/not-a-real-token/").status_code == 404


def test_link_dies_with_its_playlist(alice_client, api_client, private_playlist):
    share = factories.PlaylistShareFactory(playlist=private_playlist)

    alice_client.delete(f"/api/playlists/{private_playlist.pk}/")

    assert api_client.get(f"/api/shared/{share.token}/").status_code == 404


def test_number_of_links_per_playlist_is_capped(alice_client, private_playlist):
    factories.PlaylistShareFactory.create_batch(SHARES_PER_PLAYLIST_MAX, playlist=private_playlist)

    response = _share(alice_client, private_playlist)

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_shares"


def test_opening_a_link_costs_the_same_queries_for_a_longer_playlist(
    api_client, alice, django_assert_num_queries
):
    short = factories.PlaylistShareFactory(
        playlist=make_playlist(alice, factories.TrackFactory.create_batch(2))
    )
    with django_assert_num_queries(5) as few:
        api_client.get(f"/api/shared/{short.token}/")
    long = factories.PlaylistShareFactory(
        playlist=make_playlist(alice, factories.TrackFactory.create_batch(25))
    )

    with django_assert_num_queries(len(few.captured_queries)):
        api_client.get(f"/api/shared/{long.token}/")
