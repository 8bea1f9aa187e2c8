"""A page of items and its count describe the same playlist, even while it is edited."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

from core.playlists.models import PlaylistItem
from tests import factories
from tests.concurrency import run_together
from tests.conftest import client_for
from tests.playlists.conftest import make_playlist

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def edit_after_first_read_of_items(edit: Callable[[], object]) -> Iterator[list]:
    """Run `edit` on its own connection, to its commit, right after the request's first
    statement on the playlist's items, so that any later statement of the read sees it."""
    edits: list = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not edits and PlaylistItem._meta.db_table in sql:
            edits.extend(run_together([edit]))
        return result

    with connection.execute_wrapper(wrapper):
        yield edits


def remove_first_item(owner, playlist) -> Callable[[], object]:
    item = playlist.items.order_by("position").first()
    client = client_for(owner)
    return lambda: client.post(f"/api/playlists/{playlist.pk}/remove/", {"item_id": item.pk})


def add_a_track(owner, playlist) -> Callable[[], object]:
    track = factories.TrackFactory()
    client = client_for(owner)
    return lambda: client.post(f"/api/playlists/{playlist.pk}/add/", {"track_id": track.pk})


@pytest.mark.parametrize("make_edit", [remove_first_item, add_a_track], ids=["remove", "add"])
def test_items_page_count_matches_the_items_listed_under_a_concurrent_edit(make_edit):
    owner = factories.UserFactory()
    playlist = make_playlist(owner, factories.TrackFactory.create_batch(10))
    reader = client_for(owner)

    with edit_after_first_read_of_items(make_edit(owner, playlist)) as edits:
        body = reader.get(f"/api/playlists/{playlist.pk}/items/").json()

    assert [response.status_code // 100 for response in edits] == [2]
    assert body["count"] == len(body["results"])
    assert [item["position"] for item in body["results"]] == list(range(body["count"]))


@pytest.mark.parametrize("make_edit", [remove_first_item, add_a_track], ids=["remove", "add"])
def test_playlist_detail_count_matches_its_first_page_under_a_concurrent_edit(make_edit):
    owner = factories.UserFactory()
    playlist = make_playlist(owner, factories.TrackFactory.create_batch(10))
    reader = client_for(owner)

    with edit_after_first_read_of_items(make_edit(owner, playlist)) as edits:
        body = reader.get(f"/api/playlists/{playlist.pk}/").json()

    assert [response.status_code // 100 for response in edits] == [2]
    page = body["items"]
    assert page["count"] == len(page["results"])


def test_shared_items_page_count_matches_the_items_listed_under_a_concurrent_edit():
    owner = factories.UserFactory()
    playlist = make_playlist(owner, factories.TrackFactory.create_batch(10))
    token = client_for(owner).post(f"/api/playlists/{playlist.pk}/shares/", {}).json()["token"]

    with edit_after_first_read_of_items(remove_first_item(owner, playlist)) as edits:
        body = client_for(factories.UserFactory()).get(f"/api/shared/{token}/items/").json()

    assert [response.status_code // 100 for response in edits] == [2]
    assert body["count"] == len(body["results"])
