"""Django admin for the catalog and uploads: readable lists, search, filters, hide/unhide."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from core.catalog.admin import format_duration
from core.catalog.models import Track, TrackStatus
from core.processing.models import JobState, ProcessingJob
from core.processing.selectors import derived_keys
from media_pipeline.storage import ObjectNotFound, get_storage
from tests import factories
from tests.catalog.uploading import register, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("model", "params"),
    [
        ("core_track", {}),
        ("core_track", {"q": "blue"}),
        ("core_track", {"status__exact": "ready", "is_hidden__exact": "1"}),
        ("core_artist", {"q": "davis"}),
        ("core_album", {"q": "kind"}),
        ("core_genre", {"q": "jazz"}),
        ("core_upload", {"status__exact": "pending"}),
        ("core_upload", {"q": "song"}),
    ],
)
def test_changelists_load_with_search_and_filters(superuser, uploader_client, model, params):
    factories.TrackFactory(
        title="Blue in Green", size=5 * 1024**2, genres=[factories.GenreFactory()]
    )
    upload(uploader_client)

    response = _browser(superuser).get(reverse(f"admin:{model}_changelist"), params)

    assert response.status_code == 200


def test_track_list_shows_human_readable_size_duration_and_status(superuser):
    factories.TrackFactory(size=5 * 1024**2, duration=337.0, status=TrackStatus.FAILED)

    page = _browser(superuser).get(reverse("admin:core_track_changelist")).content.decode()

    assert "5.0\xa0MB" in page
    assert "5:37" in page
    assert "Failed" in page


def test_upload_list_shows_human_readable_size(superuser, uploader_client):
    upload(uploader_client)

    page = _browser(superuser).get(reverse("admin:core_upload_changelist"))

    assert "KB" in page.content.decode()


def test_track_and_upload_change_pages_load(superuser, uploader_client):
    presigned = upload(uploader_client)
    track_id = register(uploader_client, presigned["upload_id"]).json()["id"]
    browser = _browser(superuser)

    assert browser.get(reverse("admin:core_track_change", args=[track_id])).status_code == 200
    upload_page = reverse("admin:core_upload_change", args=[presigned["upload_id"]])
    assert browser.get(upload_page).status_code == 200


def test_tracks_and_uploads_cannot_be_added_in_the_admin(superuser):
    browser = _browser(superuser)

    assert browser.get(reverse("admin:core_track_add")).status_code == 403
    assert browser.get(reverse("admin:core_upload_add")).status_code == 403


def _run_action(user, action: str, tracks: list[Track]):
    return _browser(user).post(
        reverse("admin:core_track_changelist"),
        {"action": action, "_selected_action": [t.pk for t in tracks]},
    )


def test_moderator_hides_and_unhides_selected_tracks(moderator):
    chosen = [factories.TrackFactory(), factories.TrackFactory()]
    other = factories.TrackFactory()

    assert _run_action(moderator, "hide_tracks", chosen).status_code == 302
    assert set(Track.objects.filter(is_hidden=True)) == set(chosen)

    assert _run_action(moderator, "unhide_tracks", chosen[:1]).status_code == 302
    assert set(Track.objects.filter(is_hidden=True)) == {chosen[1]}
    other.refresh_from_db()
    assert other.is_hidden is False


def test_staff_without_moderation_permission_cannot_hide(staff):
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_track", "change_track"])
    )
    track = factories.TrackFactory()

    page = _browser(staff).get(reverse("admin:core_track_changelist")).content.decode()
    _run_action(staff, "hide_tracks", [track])

    assert "hide_tracks" not in page
    track.refresh_from_db()
    assert track.is_hidden is False


def test_moderator_may_delete_tracks_but_not_users_in_the_admin(moderator):
    track = factories.TrackFactory()
    browser = _browser(moderator)

    track_page = browser.get(reverse("admin:core_track_delete", args=[track.pk]))
    user_page = browser.get(reverse("admin:core_user_delete", args=[track.uploaded_by_id]))

    assert track_page.status_code == 200
    assert user_page.status_code == 403


@pytest.fixture
def processed(uploader_client, audio_samples, immediate_tasks, django_capture_on_commit_callbacks):
    """A track registered and processed: its file, variants and thumbnails are stored."""
    sample = audio_samples["mp3"]
    presigned = upload(uploader_client, sample.path.read_bytes(), content_type=sample.content_type)
    with django_capture_on_commit_callbacks(execute=True):
        track_id = register(uploader_client, presigned["upload_id"]).json()["id"]
    keys = [presigned["key"], *derived_keys([track_id])]
    assert len(keys) == 7  # the file, two variants, three thumbnails, the preview
    return Track.objects.get(pk=track_id, status=TrackStatus.READY), keys


def test_deleting_a_track_in_the_admin_removes_its_stored_objects(
    superuser, processed, django_capture_on_commit_callbacks
):
    track, keys = processed

    with django_capture_on_commit_callbacks(execute=True):
        response = _browser(superuser).post(
            reverse("admin:core_track_delete", args=[track.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Track.objects.filter(pk=track.pk).exists()
    for key in keys:
        with pytest.raises(ObjectNotFound):
            get_storage().head(key)


def test_bulk_deleting_tracks_in_the_admin_removes_their_stored_objects(
    superuser, processed, django_capture_on_commit_callbacks
):
    track, keys = processed

    with django_capture_on_commit_callbacks(execute=True):
        response = _browser(superuser).post(
            reverse("admin:core_track_changelist"),
            {"action": "delete_selected", "_selected_action": [track.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert not Track.objects.filter(pk=track.pk).exists()
    for key in keys:
        with pytest.raises(ObjectNotFound):
            get_storage().head(key)


def test_track_list_and_page_show_the_processing_state_and_why_it_failed(superuser):
    track = factories.TrackFactory(
        status=TrackStatus.FAILED, failure_reason="File is not audio: ffprobe found no stream"
    )
    ProcessingJob.objects.create(
        track=track,
        state=JobState.FAILED,
        attempts=1,
        enqueued_at=track.created_at,
        last_error="ffprobe: Invalid data found when processing input",
    )
    browser = _browser(superuser)

    listing = browser.get(reverse("admin:core_track_changelist")).content.decode()
    page = browser.get(reverse("admin:core_track_change", args=[track.pk])).content.decode()

    assert "Failed, attempt 1: File is not audio: ffprobe found no stream" in listing
    assert "ffprobe: Invalid data found when processing input" in page


@pytest.mark.parametrize(
    ("seconds", "text"), [(None, "—"), (0, "0:00"), (59.6, "1:00"), (3725, "1:02:05")]
)
def test_durations_read_as_clock_times(seconds, text):
    assert format_duration(seconds) == text


def test_moderator_reruns_processing_of_selected_tracks(moderator):
    failed = factories.TrackFactory(status=TrackStatus.FAILED, failure_reason="not audio")
    other = factories.TrackFactory(status=TrackStatus.FAILED)

    assert _run_action(moderator, "reprocess_tracks", [failed]).status_code == 302

    failed.refresh_from_db()
    assert (failed.status, failed.failure_reason) == (TrackStatus.PROCESSING, "")
    assert ProcessingJob.objects.get(pk=failed.pk).state == JobState.QUEUED
    assert not ProcessingJob.objects.filter(pk=other.pk).exists()


def test_staff_without_moderation_permission_cannot_rerun_processing(staff):
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_track", "change_track"])
    )
    track = factories.TrackFactory(status=TrackStatus.FAILED)

    _run_action(staff, "reprocess_tracks", [track])

    track.refresh_from_db()
    assert track.status == TrackStatus.FAILED
    assert not ProcessingJob.objects.exists()
