"""The playable totals the database keeps (AlbumPlayable, ArtistPlayable: the counts and
durations getAlbumList2, search3 and getArtists show) equal the tracks' whatever route changed
a track or an album: the API, the admin's form and actions, processing, a moderator's report
decision, a bulk `.update()`, bulk_create, raw SQL, deletes, moves between albums and artists."""

import itertools

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.urls import reverse

from core.catalog.models import Album, AlbumPlayable, ArtistPlayable, Track, TrackStatus
from core.processing.jobs import job_claim, job_finish_failed, track_process_enqueue
from core.reports.models import ReportKind
from core.reports.services import reported_item_hide
from tests import factories

pytestmark = pytest.mark.django_db


def assert_totals_follow_tracks() -> None:
    playable = Track.objects.playable().order_by()
    albums = {
        row["album_id"]: (row["n"], round(row["seconds"] or 0, 3))
        for row in playable.exclude(album=None)
        .values("album_id")
        .annotate(n=Count("pk"), seconds=Sum("duration"))
    }
    artists = {
        row["artist_id"]: row["n"] for row in playable.values("artist_id").annotate(n=Count("pk"))
    }
    album_counts: dict[int, int] = {}
    for album in Album.objects.filter(pk__in=list(albums)):
        album_counts[album.artist_id] = album_counts.get(album.artist_id, 0) + 1

    kept_albums = {
        row.album_id: (row.track_count, round(row.duration, 3))
        for row in AlbumPlayable.objects.exclude(track_count=0)
    }
    kept_artists = ArtistPlayable.objects.exclude(track_count=0, album_count=0)
    assert kept_albums == albums
    assert {row.artist_id: row.track_count for row in kept_artists if row.track_count} == artists
    assert {row.artist_id: row.album_count for row in kept_artists if row.album_count} == (
        album_counts
    )
    assert not AlbumPlayable.objects.filter(track_count__lt=0).exists()


@pytest.fixture
def catalog():
    artist = factories.ArtistFactory()
    album = factories.AlbumFactory(artist=artist)
    tracks = [
        factories.TrackFactory(artist=artist, album=album, duration=100.0 + n) for n in range(3)
    ]
    factories.TrackFactory(status=TrackStatus.PROCESSING)
    factories.TrackFactory(album=None, duration=None)
    assert_totals_follow_tracks()
    return {"artist": artist, "album": album, "tracks": tracks}


@pytest.mark.parametrize(
    ("status", "hidden"), list(itertools.product(TrackStatus.values, [False, True]))
)
def test_a_bulk_update_to_any_status_and_visibility(catalog, status, hidden):
    Track.objects.filter(pk=catalog["tracks"][0].pk).update(status=status, is_hidden=hidden)
    assert_totals_follow_tracks()
    Track.objects.all().update(status=status, is_hidden=hidden)
    assert_totals_follow_tracks()


def test_raw_sql_hiding_moving_and_deleting(catalog):
    first, second, _ = catalog["tracks"]
    other = factories.AlbumFactory()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_track SET is_hidden = %s WHERE id = %s", [True, first.pk])
        cursor.execute(
            "UPDATE core_track SET album_id = %s, artist_id = %s, duration = 7 WHERE id = %s",
            [other.pk, other.artist_id, second.pk],
        )
    assert_totals_follow_tracks()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_track_genres")
        cursor.execute("DELETE FROM core_track WHERE id = %s", [second.pk])
    assert_totals_follow_tracks()


def test_the_api_hides_unhides_and_deletes(catalog, moderator_client, staff_client):
    url = f"/api/tracks/{catalog['tracks'][0].pk}/"

    assert moderator_client.patch(url, {"is_hidden": True}).status_code == 200
    assert_totals_follow_tracks()
    assert moderator_client.patch(url, {"is_hidden": False}).status_code == 200
    assert_totals_follow_tracks()
    assert staff_client.delete(url).status_code == 204
    assert_totals_follow_tracks()


def test_the_admin_actions_and_form(catalog, client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    track = catalog["tracks"][1]
    for action in ("hide_tracks", "unhide_tracks"):
        client.post(
            reverse("admin:core_track_changelist"),
            {"action": action, "_selected_action": [track.pk]},
        )
        assert_totals_follow_tracks()
    moved_to = factories.ArtistFactory()
    form = {"title": "Moved by hand", "artist": moved_to.pk, "is_hidden": ""}

    response = client.post(reverse("admin:core_track_change", args=[track.pk]), form)

    assert response.status_code == 302
    assert Track.objects.get(pk=track.pk).artist_id == moved_to.pk
    assert_totals_follow_tracks()


def test_processing_and_a_moderators_decision(catalog, moderator):
    first, second, _ = catalog["tracks"]
    job = track_process_enqueue(track_id=first.pk, send=False)
    claimed = job_claim(first.pk, str(job.token))
    assert job_finish_failed(claimed, reason="Not an audio file", error="test")
    assert_totals_follow_tracks()

    reported_item_hide(kind=ReportKind.TRACK, item_id=second.pk, by=moderator)
    assert_totals_follow_tracks()


def test_new_tracks_one_by_one_and_in_bulk(catalog):
    album = catalog["album"]
    factories.TrackFactory(artist=album.artist, album=album, duration=33.5)
    Track.objects.bulk_create(
        [
            Track(
                title=f"Bulk {n}",
                artist=album.artist,
                album=factories.AlbumFactory(artist=album.artist) if n else album,
                storage_key=f"audio/bulk-{n}.mp3",
                size=1000,
                content_type="audio/mpeg",
                status=TrackStatus.READY,
                duration=60.0,
            )
            for n in range(3)
        ]
    )
    assert_totals_follow_tracks()


def test_an_album_given_to_another_artist_and_albums_emptied_and_deleted(catalog):
    album, artist = catalog["album"], factories.ArtistFactory()
    Album.objects.filter(pk=album.pk).update(artist=artist)
    assert_totals_follow_tracks()

    Track.objects.filter(album=album).update(status=TrackStatus.FAILED)
    assert_totals_follow_tracks()
    Track.objects.filter(album=album).update(status=TrackStatus.READY)
    Track.objects.filter(album=album).delete()
    album.delete()
    assert_totals_follow_tracks()
