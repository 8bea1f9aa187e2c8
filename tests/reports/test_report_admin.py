"""Moderators work through reports in the admin: the queue, the item's page, and its actions."""

import pytest
from django.test import Client
from django.urls import reverse

from core.reports.models import Report, ReportingBan, ReportStatus
from tests import factories
from tests.catalog.admin_player import fetch, player_source
from tests.conftest import client_for
from tests.factories import PASSWORD
from tests.media_pipeline.audio_fixtures import (
    audio_samples,  # noqa: F401
    process_now,
    stored_track,
)
from tests.reports.conftest import REPORTS_URL, report

pytestmark = pytest.mark.django_db

QUEUE = "/admin/core/report/queue/"


def _logged_in(user) -> Client:
    browser = Client()
    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    return browser


def _item_url(kind: str, item_id: int) -> str:
    return reverse("admin:core_report_item", args=[kind, item_id])


def test_moderator_listens_to_a_reported_track_hides_it_and_the_reporter_sees_it_actioned(
    moderator,
    alice,
    audio_samples,  # noqa: F811
):
    track = stored_track(audio_samples["mp3"], title="Loud Ad")
    assert process_now(track) == "ready"
    reporter = client_for(alice)
    mine = report(reporter, "track", track.pk, "spam", note="An advert").json()
    browser = _logged_in(moderator)

    queue = browser.get(QUEUE)
    assert queue.status_code == 200
    assert _item_url("track", track.pk) in queue.content.decode()
    assert "Spam (1)" in queue.content.decode()
    page = browser.get(_item_url("track", track.pk))
    assert page.status_code == 200
    assert "An advert" in page.content.decode()
    url, quality = player_source(page.content.decode())
    audio = fetch(Client(), url)
    assert quality == "low" and audio[4:8] == b"ftyp"
    hidden = browser.post(_item_url("track", track.pk), {"action": "hide"})

    assert hidden.status_code == 302
    track.refresh_from_db()
    assert track.is_hidden
    [listed] = reporter.get(REPORTS_URL).json()["results"]
    assert (listed["id"], listed["status"]) == (mine["id"], "actioned")
    assert "No open reports." in browser.get(QUEUE).content.decode()


def test_the_queue_has_one_row_per_item_with_reasons_counted(moderator):
    track = factories.TrackFactory(title="Twice Reported")
    playlist = factories.PlaylistFactory(name="Bad Mix", is_public=True)
    for user, reason in ((factories.UserFactory(), "spam"), (factories.UserFactory(), "spam")):
        report(client_for(user), "track", track.pk, reason)
    report(client_for(factories.UserFactory()), "track", track.pk, "offensive")
    report(client_for(factories.UserFactory()), "playlist", playlist.pk, "offensive")

    page = _logged_in(moderator).get(QUEUE)

    rows = page.context["rows"]
    assert [(row.kind, row.item_id, row.count) for row in rows] == [
        ("playlist", playlist.pk, 1),
        ("track", track.pk, 3),
    ]
    assert rows[1].reasons == [("Spam", 2), ("Offensive content", 1)]
    assert rows[1].first_reported < rows[1].last_reported


def test_dismissing_closes_the_open_reports_and_keeps_the_track(moderator, alice):
    track = factories.TrackFactory()
    report(client_for(alice), "track", track.pk)

    response = _logged_in(moderator).post(_item_url("track", track.pk), {"action": "dismiss"})

    assert response.status_code == 302
    assert Report.objects.get().status == ReportStatus.DISMISSED
    track.refresh_from_db()
    assert not track.is_hidden


def test_hiding_a_reported_playlist_makes_it_private(moderator, alice):
    playlist = factories.PlaylistFactory(is_public=True)
    report(client_for(alice), "playlist", playlist.pk, "offensive")

    _logged_in(moderator).post(_item_url("playlist", playlist.pk), {"action": "hide"})

    playlist.refresh_from_db()
    assert not playlist.is_public
    assert Report.objects.get().status == ReportStatus.ACTIONED


def test_banning_a_reporter_refuses_their_next_report(moderator, alice):
    first, second = factories.TrackFactory.create_batch(2)
    reporter = client_for(alice)
    report(reporter, "track", first.pk)
    browser = _logged_in(moderator)

    browser.post(_item_url("track", first.pk), {"action": "ban", "report": Report.objects.get().pk})

    assert ReportingBan.objects.get(user=alice).banned_by == moderator
    assert report(reporter, "track", second.pk).json()["code"] == "reporting_banned"
    assert "may no longer report" in browser.get(_item_url("track", first.pk)).content.decode()


def test_hiding_a_track_from_the_track_admin_actions_its_reports(moderator, alice):
    track = factories.TrackFactory()
    report(client_for(alice), "track", track.pk)

    _logged_in(moderator).post(
        reverse("admin:core_track_changelist"),
        {"action": "hide_tracks", "_selected_action": [track.pk]},
    )

    assert Report.objects.get().status == ReportStatus.ACTIONED


def test_hiding_a_track_through_the_api_actions_its_reports(moderator_client, alice):
    track = factories.TrackFactory()
    report(client_for(alice), "track", track.pk)

    response = moderator_client.patch(f"/api/tracks/{track.pk}/", {"is_hidden": True})

    assert response.status_code == 200
    assert Report.objects.get().status == ReportStatus.ACTIONED


def test_staff_without_report_permissions_and_listeners_cannot_use_the_queue(staff, alice):
    track = factories.TrackFactory()
    report(client_for(alice), "track", track.pk)
    staff_browser = Client()
    staff_browser.force_login(staff)
    listener_browser = Client()
    listener_browser.force_login(alice)

    assert staff_browser.get(QUEUE).status_code == 403
    assert staff_browser.post(_item_url("track", track.pk), {"action": "hide"}).status_code == 403
    assert listener_browser.get(QUEUE).status_code == 302  # to the admin login
    track.refresh_from_db()
    assert not track.is_hidden
