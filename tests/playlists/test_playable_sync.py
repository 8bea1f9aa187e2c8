"""Items follow their track wherever its playability changes: a moderator hiding it through
the API or the admin, processing making it ready or failing it, an item added by hand."""

from django.urls import reverse

from core.catalog.models import TrackStatus
from core.playlists.models import PlaylistItem
from tests import factories
from tests.media_pipeline.audio_fixtures import audio_samples, process_now, stored_track
from tests.playlists.conftest import listed_order, make_playlist

__all__ = ["audio_samples"]  # the session fixture, used by name


def _add_at(client, playlist, index: int):
    extra = factories.TrackFactory()
    response = client.post(
        f"/api/playlists/{playlist.pk}/add/", {"track_id": extra.pk, "position": index}
    )
    assert response.status_code == 201, response.json()
    return extra.pk


def test_moderator_hiding_a_track_in_the_api_takes_it_out_of_playlists(
    alice_client, moderator_client, private_playlist, tracks
):
    ids = [t.pk for t in tracks]

    hidden = moderator_client.patch(f"/api/tracks/{tracks[1].pk}/", {"is_hidden": True})

    assert hidden.status_code == 200
    assert listed_order(alice_client, private_playlist) == [ids[0], *ids[2:]]
    added = _add_at(alice_client, private_playlist, 1)
    assert listed_order(alice_client, private_playlist) == [ids[0], added, *ids[2:]]

    shown = moderator_client.patch(f"/api/tracks/{tracks[1].pk}/", {"is_hidden": False})

    assert shown.status_code == 200
    assert listed_order(alice_client, private_playlist) == [ids[0], ids[1], added, *ids[2:]]


def test_admin_hide_and_unhide_actions_take_tracks_out_and_back(
    client, moderator, alice_client, private_playlist, tracks
):
    client.force_login(moderator)
    url = reverse("admin:core_track_changelist")
    chosen = [tracks[0].pk, tracks[3].pk]
    ids = [t.pk for t in tracks]

    client.post(url, {"action": "hide_tracks", "_selected_action": chosen})

    assert listed_order(alice_client, private_playlist) == [ids[1], ids[2], ids[4]]

    client.post(url, {"action": "unhide_tracks", "_selected_action": chosen[:1]})

    assert listed_order(alice_client, private_playlist) == [ids[0], ids[1], ids[2], ids[4]]


def test_admin_change_form_hiding_a_track_takes_it_out(
    client, alice_client, private_playlist, tracks
):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    track = tracks[2]
    form = {
        "title": track.title,
        "artist": track.artist_id,
        "album": track.album_id,
        "track_number": track.track_number,
        "year": track.year,
        "is_hidden": "on",
    }

    response = client.post(reverse("admin:core_track_change", args=[track.pk]), form)

    assert response.status_code == 302
    assert track.pk not in listed_order(alice_client, private_playlist)


def test_item_added_by_hand_takes_its_tracks_playability(alice, tracks, hidden_track):
    playlist = make_playlist(alice)

    shown = PlaylistItem.objects.create(playlist=playlist, track=tracks[0], position=1)
    hidden = PlaylistItem.objects.create(playlist=playlist, track=hidden_track, position=2)

    assert (shown.playable, hidden.playable) == (True, False)


def test_processing_shows_a_ready_track_and_hides_a_failed_one(alice, alice_client, audio_samples):
    waiting = stored_track(audio_samples["mp3"])
    broken = stored_track(audio_samples["text"], status=TrackStatus.READY)
    playlist = make_playlist(alice, is_public=True)
    for position, track in enumerate([waiting, broken], start=1):
        PlaylistItem.objects.create(playlist=playlist, track=track, position=position)
    assert listed_order(alice_client, playlist) == [broken.pk]

    assert process_now(waiting) == "ready"
    assert process_now(broken) == "failed"

    assert listed_order(alice_client, playlist) == [waiting.pk]
