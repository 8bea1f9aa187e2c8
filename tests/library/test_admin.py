"""Favorites and play history in the admin: searchable, filterable, read-only for moderators."""

import pytest
from django.urls import reverse

from core.library.models import Favorite, Play
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = [("play", Play, factories.PlayFactory), ("favorite", Favorite, factories.FavoriteFactory)]


@pytest.fixture
def moderator_browser(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def superuser_browser(client, db):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(("name", "model", "factory"), MODELS)
def test_moderator_can_browse_search_and_filter(
    moderator_browser, alice, bob, name, model, factory
):
    factory(user=alice, track=factories.TrackFactory(title="Blue in Green"))
    factory(user=bob, track=factories.TrackFactory(title="So What"))
    url = reverse(f"admin:core_{name}_changelist")

    assert moderator_browser.get(url).status_code == 200
    by_name = moderator_browser.get(url, {"q": "alice"})
    assert list(by_name.context["cl"].result_list.values_list("user__username", flat=True)) == [
        "alice"
    ]
    by_title = moderator_browser.get(url, {"q": "so what"})
    assert [entry.track.title for entry in by_title.context["cl"].result_list] == ["So What"]
    by_user = moderator_browser.get(url, {"user__id__exact": bob.pk})
    assert [entry.user for entry in by_user.context["cl"].result_list] == [bob]


@pytest.mark.parametrize(("name", "model", "factory"), MODELS)
def test_changelist_costs_the_same_queries_for_more_rows(
    moderator_browser, name, model, factory, django_assert_max_num_queries
):
    for _ in range(2):
        factory()
    url = reverse(f"admin:core_{name}_changelist")
    moderator_browser.get(url)
    with django_assert_max_num_queries(20) as few:
        moderator_browser.get(url)
    for _ in range(20):
        factory()

    with django_assert_max_num_queries(len(few)):
        moderator_browser.get(url)


@pytest.mark.parametrize(("name", "model", "factory"), MODELS)
def test_moderator_cannot_add_change_or_delete(moderator_browser, name, model, factory):
    entry = factory()

    assert moderator_browser.get(reverse(f"admin:core_{name}_add")).status_code == 403
    detail = moderator_browser.get(reverse(f"admin:core_{name}_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert not detail.context["has_change_permission"]
    assert not detail.context["has_delete_permission"]
    posted = moderator_browser.post(reverse(f"admin:core_{name}_change", args=[entry.pk]), {})
    assert posted.status_code == 403
    deleting = moderator_browser.post(
        reverse(f"admin:core_{name}_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert deleting.status_code == 403
    assert model.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(("name", "model", "factory"), MODELS)
def test_even_a_superuser_cannot_add_or_edit_but_may_delete(
    superuser_browser, name, model, factory
):
    entry = factory()

    assert superuser_browser.get(reverse(f"admin:core_{name}_add")).status_code == 403
    detail = superuser_browser.get(reverse(f"admin:core_{name}_change", args=[entry.pk]))
    assert not detail.context["has_change_permission"]
    superuser_browser.post(reverse(f"admin:core_{name}_delete", args=[entry.pk]), {"post": "yes"})
    assert not model.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(("name", "model", "factory"), MODELS)
def test_listener_cannot_open_the_admin_pages(client, alice, name, model, factory):
    factory(user=alice)
    client.force_login(alice)

    response = client.get(reverse(f"admin:core_{name}_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_play_history_has_a_date_drilldown(moderator_browser):
    factories.PlayFactory()

    response = moderator_browser.get(reverse("admin:core_play_changelist"))

    assert response.context["cl"].date_hierarchy == "started_at"
