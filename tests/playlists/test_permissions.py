"""Who may do what to a playlist: the owner everything; others read it only when it is public.

Moderators and staff are others here: private playlists are 404 to them through the API.
"""

import pytest

from tests import factories

CALLERS = ["api_client", "bob_client", "moderator_client", "staff_client", "alice_client"]


def _call(client, method: str, path: str, body_for) -> int:
    playlist_id, track_id, item_id, share_id = body_for
    path = path.format(id=playlist_id, share_id=share_id)
    bodies = {
        "add/": {"track_id": track_id},
        "remove/": {"item_id": item_id},
        "reorder/": {"range_start": 0, "insert_before": 2},
        "shares/": {},
    }
    body = next((value for suffix, value in bodies.items() if path.endswith(suffix)), None)
    if method == "patch":
        body = {"name": "Renamed"}
    return getattr(client, method)(path, body).status_code


# (method, path, owner's status, others' status on a public playlist)
ENDPOINTS = [
    ("get", "/api/playlists/{id}/", 200, 200),
    ("get", "/api/playlists/{id}/items/", 200, 200),
    ("patch", "/api/playlists/{id}/", 200, 403),
    ("post", "/api/playlists/{id}/add/", 201, 403),
    ("post", "/api/playlists/{id}/remove/", 200, 403),
    ("post", "/api/playlists/{id}/reorder/", 200, 403),
    ("get", "/api/playlists/{id}/shares/", 200, 403),
    ("post", "/api/playlists/{id}/shares/", 201, 403),
    ("delete", "/api/playlists/{id}/shares/{share_id}/", 204, 403),
    ("delete", "/api/playlists/{id}/", 204, 403),
]


@pytest.mark.parametrize("is_public", [False, True], ids=["private", "public"])
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("method", "path", "owner_status", "public_status"), ENDPOINTS)
def test_each_caller_gets_the_expected_status(
    request, alice, tracks, caller, is_public, method, path, owner_status, public_status
):
    playlist = factories.PlaylistFactory(owner=alice, is_public=is_public)
    item = factories.PlaylistItemFactory(playlist=playlist, track=tracks[0])
    factories.PlaylistItemFactory(playlist=playlist, track=tracks[1])
    factories.PlaylistItemFactory(playlist=playlist, track=tracks[2])
    share = factories.PlaylistShareFactory(playlist=playlist)
    client = request.getfixturevalue(caller)

    status = _call(client, method, path, (playlist.pk, tracks[3].pk, item.pk, share.pk))

    if caller == "alice_client":
        expected = owner_status
    elif caller == "api_client" and (method != "get" or "shares" in path):
        expected = 401
    elif is_public:
        expected = public_status
    else:
        expected = 404
    assert status == expected


@pytest.mark.parametrize("caller", CALLERS[:4])
def test_nobody_but_the_owner_changes_anything(request, alice, tracks, caller):
    playlist = factories.PlaylistFactory(owner=alice, is_public=True, name="Kept")
    factories.PlaylistItemFactory(playlist=playlist, track=tracks[0])
    snapshot = playlist.snapshot_id
    client = request.getfixturevalue(caller)

    client.patch(f"/api/playlists/{playlist.pk}/", {"name": "Taken"})
    client.post(f"/api/playlists/{playlist.pk}/add/", {"track_id": tracks[1].pk})
    client.post(f"/api/playlists/{playlist.pk}/remove/", {"track_id": tracks[0].pk})
    client.delete(f"/api/playlists/{playlist.pk}/")

    playlist.refresh_from_db()
    assert playlist.name == "Kept"
    assert playlist.snapshot_id == snapshot
    assert list(playlist.items.values_list("track_id", flat=True)) == [tracks[0].pk]
