"""Playlists and share links in the admin: moderators look, those with change rights edit."""

import pytest
from django.urls import reverse

from tests import factories
from tests.playlists.conftest import make_playlist, stored_order


@pytest.fixture
def moderator_browser(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def superuser_browser(client, db):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


def test_moderator_browses_searches_and_filters_playlists(moderator_browser, alice, bob):
    make_playlist(alice, name="Blue hour", is_public=True)
    make_playlist(bob, name="Red dawn")
    url = reverse("admin:core_playlist_changelist")

    def names(**params) -> list[str]:
        response = moderator_browser.get(url, params)
        assert response.status_code == 200
        return sorted(p.name for p in response.context["cl"].result_list)

    assert names() == ["Blue hour", "Red dawn"]
    assert names(q="blue") == ["Blue hour"]
    assert names(q="bob") == ["Red dawn"]
    assert names(is_public__exact="1") == ["Blue hour"]
    assert names(owner__id__exact=str(bob.pk)) == ["Red dawn"]


def test_moderator_sees_items_in_order_but_cannot_change_them(moderator_browser, alice, tracks):
    playlist = make_playlist(alice, list(reversed(tracks)))
    url = reverse("admin:core_playlist_change", args=[playlist.pk])

    page = moderator_browser.get(url)

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    formset = page.context["inline_admin_formsets"][0].formset
    assert [form.instance.track_id for form in formset.forms] == [t.pk for t in reversed(tracks)]
    refused = moderator_browser.post(url, {"name": "Taken over"})
    assert refused.status_code == 403
    assert moderator_browser.get(reverse("admin:core_playlist_add")).status_code == 403


def test_moderator_browses_share_links_read_only(moderator_browser, private_playlist):
    share = factories.PlaylistShareFactory(playlist=private_playlist)

    listing = moderator_browser.get(reverse("admin:core_playlistshare_changelist"), {"q": "late"})
    detail = moderator_browser.get(reverse("admin:core_playlistshare_change", args=[share.pk]))

    assert [s.pk for s in listing.context["cl"].result_list] == [share.pk]
    assert detail.status_code == 200
    assert detail.context["has_change_permission"] is False


def test_changelist_costs_the_same_queries_for_more_playlists(
    moderator_browser, alice, django_assert_num_queries
):
    url = reverse("admin:core_playlist_changelist")
    make_playlist(alice)
    with django_assert_num_queries(10, exact=False) as few:
        moderator_browser.get(url)
    for _ in range(10):
        make_playlist(factories.UserFactory())

    with django_assert_num_queries(len(few.captured_queries)):
        moderator_browser.get(url)


def _inline_post(playlist, rows: list[tuple[int, int]], **extra) -> dict:
    """The change form as a browser posts it: (item id, track id) per existing item."""
    data = {
        "owner": playlist.owner_id,
        "name": playlist.name,
        "description": playlist.description,
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": len(rows),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for n, (pk, track_id) in enumerate(rows):
        data[f"items-{n}-id"] = pk
        data[f"items-{n}-playlist"] = playlist.pk
        data[f"items-{n}-track"] = track_id
    data.update(extra)
    return data


def test_items_are_numbered_from_one_and_their_keys_are_not_shown(superuser_browser, alice, tracks):
    playlist = make_playlist(alice, tracks[:3], keys=[4294967296, 8589934592, 12884901888])

    page = superuser_browser.get(reverse("admin:core_playlist_change", args=[playlist.pk]))

    body = page.content.decode()
    assert "4294967296" not in body
    assert 'name="items-0-position"' not in body
    formset = page.context["inline_admin_formsets"][0].formset
    assert [form.instance.number for form in formset.forms] == [1, 2, 3]


def test_a_posted_key_is_ignored(superuser_browser, alice, tracks):
    playlist = make_playlist(alice, tracks[:2])
    first, second = playlist.items.order_by("position")
    url = reverse("admin:core_playlist_change", args=[playlist.pk])
    rows = [(first.pk, tracks[0].pk), (second.pk, tracks[1].pk)]

    response = superuser_browser.post(
        url, _inline_post(playlist, rows, **{"items-0-position": 9_000_000})
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.position == 1024
    assert stored_order(playlist) == [tracks[0].pk, tracks[1].pk]


def test_removing_an_item_in_the_admin_renews_snapshot_and_count(superuser_browser, alice, tracks):
    playlist = make_playlist(alice, tracks[:2])
    first, second = playlist.items.order_by("position")
    url = reverse("admin:core_playlist_change", args=[playlist.pk])
    rows = [(first.pk, tracks[0].pk), (second.pk, tracks[1].pk)]

    response = superuser_browser.post(url, _inline_post(playlist, rows, **{"items-0-DELETE": "on"}))

    assert response.status_code == 302
    assert stored_order(playlist) == [tracks[1].pk]
    old_snapshot = playlist.snapshot_id
    playlist.refresh_from_db()
    assert playlist.items_count == 1
    assert playlist.snapshot_id != old_snapshot
