"""Every item's `playable` flag equals its track's membership in Track.objects.playable(),
whatever route changed the track: the API, the admin's form and actions, processing, a bulk
`.update()`, raw SQL, or an item written with a wrong flag."""

import itertools

import pytest
from django.db import connection
from django.urls import reverse

from core.catalog.models import Track, TrackStatus
from core.playlists.models import PlaylistItem
from core.processing.jobs import job_claim, job_finish_failed, track_process_enqueue
from core.reports.models import ReportKind
from core.reports.services import reported_item_hide
from tests import factories
from tests.playlists.conftest import make_playlist


def assert_items_follow_their_tracks() -> None:
    playable = set(Track.objects.playable().values_list("pk", flat=True))
    items = list(PlaylistItem.objects.values_list("track_id", "playable"))
    assert items, "the check needs items"
    assert [(track, flag) for track, flag in items if flag != (track in playable)] == []


@pytest.fixture
def track_in_playlists(alice, bob):
    track = factories.TrackFactory()
    make_playlist(alice, [track, factories.TrackFactory()])
    make_playlist(bob, [track])
    return track


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "hidden"), list(itertools.product(TrackStatus.values, [False, True]))
)
def test_a_bulk_update_to_any_status_and_visibility_keeps_items_in_step(
    track_in_playlists, status, hidden
):
    Track.objects.filter(pk=track_in_playlists.pk).update(status=status, is_hidden=hidden)

    assert_items_follow_their_tracks()


@pytest.mark.django_db
def test_raw_sql_hiding_a_track_keeps_items_in_step(track_in_playlists):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_track SET is_hidden = %s WHERE id = %s",
            [True, track_in_playlists.pk],
        )

    assert_items_follow_their_tracks()


@pytest.mark.django_db
def test_the_api_hiding_and_unhiding_keeps_items_in_step(track_in_playlists, moderator_client):
    url = f"/api/tracks/{track_in_playlists.pk}/"

    assert moderator_client.patch(url, {"is_hidden": True}).status_code == 200
    assert_items_follow_their_tracks()
    assert moderator_client.patch(url, {"is_hidden": False}).status_code == 200
    assert_items_follow_their_tracks()


@pytest.mark.django_db
def test_the_admin_actions_keep_items_in_step(track_in_playlists, client, moderator):
    client.force_login(moderator)
    url = reverse("admin:core_track_changelist")

    for action in ("hide_tracks", "unhide_tracks"):
        client.post(url, {"action": action, "_selected_action": [track_in_playlists.pk]})
        assert_items_follow_their_tracks()


@pytest.mark.django_db
def test_the_admin_form_keeps_items_in_step(track_in_playlists, client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    form = {"title": "Hidden by hand", "artist": track_in_playlists.artist_id, "is_hidden": "on"}

    response = client.post(reverse("admin:core_track_change", args=[track_in_playlists.pk]), form)

    assert response.status_code == 302
    assert Track.objects.get(pk=track_in_playlists.pk).is_hidden
    assert_items_follow_their_tracks()


@pytest.mark.django_db
def test_a_moderator_hiding_a_reported_track_keeps_items_in_step(track_in_playlists, moderator):
    reported_item_hide(kind=ReportKind.TRACK, item_id=track_in_playlists.pk, by=moderator)

    assert Track.objects.get(pk=track_in_playlists.pk).is_hidden
    assert_items_follow_their_tracks()


@pytest.mark.django_db
def test_processing_failing_a_track_keeps_items_in_step(track_in_playlists):
    job = track_process_enqueue(track_id=track_in_playlists.pk, send=False)
    claimed = job_claim(track_in_playlists.pk, str(job.token))

    assert job_finish_failed(claimed, reason="Not an audio file", error="test")
    assert Track.objects.get(pk=track_in_playlists.pk).status == TrackStatus.FAILED
    assert_items_follow_their_tracks()


@pytest.mark.django_db
def test_an_item_written_with_a_wrong_flag_takes_its_tracks(alice, hidden_track, tracks):
    playlist = make_playlist(alice)

    item = PlaylistItem.objects.create(
        playlist=playlist, track=hidden_track, position=1, playable=True
    )
    PlaylistItem.objects.bulk_create(
        [PlaylistItem(playlist=playlist, track=tracks[0], position=2, playable=False)]
    )
    assert_items_follow_their_tracks()

    PlaylistItem.objects.filter(pk=item.pk).update(track=tracks[1])
    assert_items_follow_their_tracks()
