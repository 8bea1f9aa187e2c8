"""POST and GET /api/reports/: listeners report tracks and public playlists, and follow them."""

import pytest

from core.reports.models import Report, ReportingBan, ReportStatus
from core.reports.services import reported_item_dismiss, reported_item_hide
from tests import factories
from tests.concurrency import run_together
from tests.conftest import client_for
from tests.reports.conftest import REPORTS_URL, report

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_cannot_report_or_list(api_client, track):
    assert report(api_client, "track", track.pk).status_code == 401
    assert api_client.get(REPORTS_URL).status_code == 401


def test_a_listener_reports_a_track_and_sees_it_open(alice_client, track):
    response = report(alice_client, "track", track.pk, "copyright", note="My own song")

    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "track"
    assert body["item_id"] == track.pk
    assert (body["reason"], body["note"], body["status"]) == ("copyright", "My own song", "open")
    listed = alice_client.get(REPORTS_URL).json()["results"]
    assert [r["id"] for r in listed] == [body["id"]]


def test_a_listener_reports_a_public_playlist(alice_client, public_playlist):
    response = report(alice_client, "playlist", public_playlist.pk, "offensive")

    assert response.status_code == 201
    assert Report.objects.get().playlist == public_playlist


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("track", lambda: factories.TrackFactory(is_hidden=True).pk),
        ("track", lambda: factories.TrackFactory(status="failed").pk),
        ("track", lambda: 999_999),
        ("playlist", lambda: factories.PlaylistFactory(is_public=False).pk),
        ("playlist", lambda: 999_999),
    ],
    ids=["hidden track", "failed track", "no such track", "private playlist", "no playlist"],
)
def test_what_a_listener_cannot_see_cannot_be_reported(alice_client, kind, target):
    response = report(alice_client, kind, target())

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "album", "id": 1, "reason": "spam"}, "kind"),
        ({"kind": "track", "id": "x", "reason": "spam"}, "id"),
        ({"kind": "track", "id": 1, "reason": "boring"}, "reason"),
        ({"kind": "track", "id": 1, "reason": "spam", "note": "x" * 501}, "note"),
        ({"kind": "track", "id": 1, "reason": "spam", "note": "bell\x07"}, "note"),
    ],
)
def test_bad_reports_are_refused_naming_the_field(alice_client, body, field):
    response = alice_client.post(REPORTS_URL, body)

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_a_repeated_report_counts_once_and_answers_the_first(alice_client, track):
    first = report(alice_client, "track", track.pk, "spam")

    again = report(alice_client, "track", track.pk, "offensive")

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["reason"] == "spam"
    assert Report.objects.count() == 1


def test_two_listeners_reporting_one_track_make_two_reports(alice_client, bob_client, track):
    report(alice_client, "track", track.pk)
    report(bob_client, "track", track.pk)

    assert Report.objects.filter(track=track).count() == 2


def test_after_a_dismissal_the_item_may_be_reported_again(alice_client, track, moderator):
    first = report(alice_client, "track", track.pk).json()
    reported_item_dismiss(kind="track", item_id=track.pk, by=moderator)

    again = report(alice_client, "track", track.pk)

    assert again.status_code == 201
    assert again.json()["id"] != first["id"]


def test_listeners_see_only_their_own_reports_and_never_who_handled_them(
    alice_client, bob_client, track, moderator
):
    mine = report(alice_client, "track", track.pk).json()
    report(bob_client, "track", track.pk)
    reported_item_hide(kind="track", item_id=track.pk, by=moderator)

    listed = alice_client.get(REPORTS_URL).json()["results"]

    assert [r["id"] for r in listed] == [mine["id"]]
    assert listed[0]["status"] == "actioned"
    assert listed[0]["resolved_at"]
    assert "moderator" not in str(listed)
    assert set(listed[0]) == {
        "id",
        "kind",
        "item_id",
        "reason",
        "note",
        "status",
        "created_at",
        "resolved_at",
    }


def test_moderators_report_and_list_like_anyone(moderator_client, track):
    assert report(moderator_client, "track", track.pk).status_code == 201
    assert moderator_client.get(REPORTS_URL).json()["count"] == 1


def test_a_banned_reporter_gets_a_403_with_a_clear_code(alice, alice_client, track):
    ReportingBan.objects.create(user=alice)

    response = report(alice_client, "track", track.pk)

    assert response.status_code == 403
    assert response.json()["code"] == "reporting_banned"
    assert alice_client.get(REPORTS_URL).status_code == 200


def test_reports_beyond_the_rate_are_a_429(alice_client, report_rate):
    report_rate("3/hour")
    tracks = factories.TrackFactory.create_batch(4)

    statuses = [report(alice_client, "track", t.pk).status_code for t in tracks]

    assert statuses == [201, 201, 201, 429]
    assert alice_client.get(REPORTS_URL).status_code == 200  # reading is not rationed


def test_the_report_rate_is_per_user(alice_client, bob_client, report_rate):
    report_rate("1/hour")
    first, second = factories.TrackFactory.create_batch(2)

    assert report(alice_client, "track", first.pk).status_code == 201
    assert report(bob_client, "track", second.pk).status_code == 201


@pytest.mark.django_db(transaction=True)
def test_simultaneous_repeats_make_one_report():
    alice = factories.UserFactory()
    track = factories.TrackFactory()
    clients = [client_for(alice) for _ in range(6)]

    responses = run_together([lambda c=c: report(c, "track", track.pk) for c in clients])

    assert sorted(r.status_code for r in responses).count(201) == 1
    assert {r.json()["id"] for r in responses} == {Report.objects.get().pk}
    assert Report.objects.get().status == ReportStatus.OPEN
