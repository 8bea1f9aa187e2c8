import pytest
from django.contrib.admin.sites import site
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse

from core.catalog.models import Track, TrackStatus
from core.processing.admin import reprocess_tracks
from core.processing.models import JobState, ProcessingJob
from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.fixture
def failed_track(audio_samples):
    return stored_track(audio_samples["mp3"], status=TrackStatus.FAILED, failure_reason="old")


def test_moderator_requeues_selected_tracks(failed_track, moderator):
    request = _request(moderator)

    reprocess_tracks(site._registry[ProcessingJob], request, Track.objects.all())

    failed_track.refresh_from_db()
    assert failed_track.status == TrackStatus.PROCESSING
    assert failed_track.failure_reason == ""
    assert ProcessingJob.objects.get(pk=failed_track.pk).state == JobState.QUEUED
    assert [str(m) for m in request._messages] == ["Queued 1 track(s) for processing."]


def test_uploader_without_moderation_rights_cannot_requeue(failed_track, uploader):
    request = _request(uploader)

    reprocess_tracks(site._registry[ProcessingJob], request, Track.objects.all())

    failed_track.refresh_from_db()
    assert failed_track.status == TrackStatus.FAILED
    assert not ProcessingJob.objects.exists()
    assert [str(m) for m in request._messages] == ["Only moderators can re-run processing."]


def test_pipeline_admin_pages_show_jobs_media_and_variants(audio_samples, client, staff):
    staff.is_superuser = True
    staff.save()
    track = stored_track(audio_samples["flac"])
    process_now(track)
    client.force_login(staff)

    for name in ("processingjob", "trackmedia", "trackvariant"):
        page = client.get(reverse(f"admin:core_{name}_changelist"))
        assert page.status_code == 200
        assert str(track.title) in page.content.decode()
    detail = client.get(reverse("admin:core_processingjob_change", args=[track.pk]))
    assert detail.status_code == 200


def test_rerun_action_on_jobs_requeues_their_tracks(audio_samples, client, moderator):
    track = stored_track(audio_samples["text"])
    process_now(track)
    moderator.is_superuser = True
    moderator.save()
    client.force_login(moderator)

    response = client.post(
        reverse("admin:core_processingjob_changelist"),
        {"action": "rerun_jobs", "_selected_action": [track.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert ProcessingJob.objects.get(pk=track.pk).state == JobState.QUEUED
    track.refresh_from_db()
    assert track.status == TrackStatus.PROCESSING


def test_admin_links_of_the_former_media_pipeline_app_lead_to_core(client):
    response = client.get("/admin/media_pipeline/processingjob/?state__exact=failed")

    assert response.status_code == 301
    assert response["Location"] == "/admin/core/processingjob/?state__exact=failed"
    assert client.get("/admin/media_pipeline/")["Location"] == "/admin/core/"


def test_moderators_rerun_processing_from_the_jobs_page_as_the_operations_guide_says(
    audio_samples, client, moderator
):
    track = stored_track(audio_samples["text"])
    process_now(track)
    client.force_login(moderator)

    page = client.get(reverse("admin:core_processingjob_changelist"))
    response = client.post(
        reverse("admin:core_processingjob_changelist"),
        {"action": "rerun_jobs", "_selected_action": [track.pk]},
        follow=True,
    )

    assert page.status_code == 200
    assert "Re-run media processing" in page.content.decode()
    assert response.status_code == 200
    assert ProcessingJob.objects.get(pk=track.pk).state == JobState.QUEUED
