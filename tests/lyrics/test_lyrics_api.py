"""/api/tracks/{id}/lyrics/: anyone who sees the track reads its lyrics; its uploader, its
artist's managers and moderators set them (plain or LRC, checked line by line) and clear them."""

import pytest

from core.lyrics.models import LyricsSource, TrackLyrics
from core.lyrics.services import lyrics_from_tags
from tests import factories
from tests.artists.conftest import make_manager
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LRC = "[ti:Tone]\n[00:01.00]First line\n[00:02.50]Second line\n"


@pytest.fixture
def own(uploader):
    return factories.TrackFactory(uploaded_by=uploader)


def url(track) -> str:
    return f"/api/tracks/{track.pk}/lyrics/"


def test_the_uploader_sets_plain_lyrics_and_anyone_reads_them(uploader_client, api_client, own):
    response = uploader_client.put(url(own), {"plain": "Words\nMore words", "language": "en"})
    assert response.status_code == 200, response.json()
    expected = {"plain": "Words\nMore words", "synced": [], "source": "edited", "language": "en"}
    assert response.json() == expected
    assert api_client.get(url(own)).json() == expected


def test_lrc_fills_the_timed_lines_and_the_plain_text(uploader_client, own):
    response = uploader_client.put(url(own), {"lrc": LRC})
    assert response.status_code == 200, response.json()
    assert response.json()["synced"] == [
        {"time_ms": 1000, "text": "First line"},
        {"time_ms": 2500, "text": "Second line"},
    ]
    assert response.json()["plain"] == "First line\nSecond line"
    assert response.json()["source"] == "edited"


def test_bad_lrc_is_a_400_naming_the_line(uploader_client, own):
    response = uploader_client.put(url(own), {"lrc": "[00:01.00]One\n[00:00.50]Back in time"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"].startswith("Line 2: ")
    assert "lrc" in body["fields"]
    assert not TrackLyrics.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [{}, {"plain": "a", "lrc": "[00:01.00]a"}, {"plain": "a", "language": "not a tag!"}],
)
def test_one_of_plain_or_lrc_and_a_real_language_tag_are_required(uploader_client, own, payload):
    response = uploader_client.put(url(own), payload)
    assert response.status_code == 400
    assert response.json()["fields"]


def test_control_characters_are_refused(uploader_client, own):
    response = uploader_client.put(url(own), {"plain": "bad\u202ebidi"})
    assert response.status_code == 400
    assert "U+202E" in response.json()["detail"]


def test_moderators_edit_and_clear_lyrics_of_any_track(moderator_client, own):
    assert moderator_client.put(url(own), {"plain": "Fixed"}).status_code == 200
    assert moderator_client.delete(url(own)).status_code == 204
    assert moderator_client.get(url(own)).status_code == 404


def test_the_artists_managers_edit_and_clear_its_tracks_lyrics(own):
    manager = client_for(make_manager(own.artist))
    other_artists_manager = client_for(make_manager(factories.ArtistFactory()))

    assert other_artists_manager.put(url(own), {"plain": "Theirs"}).status_code == 403
    response = manager.put(url(own), {"lrc": LRC, "language": "en"})
    assert response.status_code == 200, response.json()
    assert response.json()["source"] == "edited"
    assert manager.delete(url(own)).status_code == 204
    assert not TrackLyrics.objects.filter(track=own).exists()


def test_another_listener_may_not_edit_or_clear(bob_client, uploader_client, own):
    uploader_client.put(url(own), {"plain": "Mine"})
    assert bob_client.put(url(own), {"plain": "Theirs"}).status_code == 403
    assert bob_client.delete(url(own)).status_code == 403
    assert TrackLyrics.objects.get(track=own).plain == "Mine"


def test_anonymous_visitors_must_sign_in_to_edit(api_client, own):
    assert api_client.put(url(own), {"plain": "x"}).status_code == 401
    assert api_client.delete(url(own)).status_code == 401


def test_a_hidden_tracks_lyrics_are_not_found_for_listeners(bob_client, moderator_client, uploader):
    hidden = factories.TrackFactory(uploaded_by=uploader, is_hidden=True)
    TrackLyrics.objects.create(track=hidden, plain="Secret", source=LyricsSource.TAGS)
    assert bob_client.get(url(hidden)).status_code == 404
    assert bob_client.put(url(hidden), {"plain": "x"}).status_code == 404
    assert moderator_client.get(url(hidden)).status_code == 200


def test_a_track_without_lyrics_answers_404(api_client, own):
    response = api_client.get(url(own))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_tags_never_replace_an_edit(uploader_client, own):
    uploader_client.put(url(own), {"plain": "Typed by a person"})
    lyrics_from_tags(track=own, plain="From the file", synced=[(1.0, "From the file")])
    assert TrackLyrics.objects.get(track=own).plain == "Typed by a person"


def test_tags_fill_and_refresh_lyrics_that_came_from_tags(own):
    lyrics_from_tags(track=own, plain="", synced=[(0.5, "One"), (2.25, "Two")])
    lyrics = TrackLyrics.objects.get(track=own)
    assert (lyrics.source, lyrics.plain) == ("tags", "One\nTwo")
    assert lyrics.synced == [{"time_ms": 500, "text": "One"}, {"time_ms": 2250, "text": "Two"}]
    lyrics_from_tags(track=own, plain="Newer", synced=[])
    assert TrackLyrics.objects.get(track=own).plain == "Newer"
