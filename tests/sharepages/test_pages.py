"""The public pages /p/, /s/ and /t/: what they show and hide, their headers and their size."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from core.lyrics.models import LyricsSource, TrackLyrics
from core.playlists.models import PlaylistShare
from tests import factories
from tests.library.preview_helpers import give_preview, track_with_preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser() -> Client:
    return Client(HTTP_ACCEPT="text/html")


@pytest.fixture
def playlist(alice):
    alice.nickname = "Alice A."
    alice.email = "alice@example.com"
    alice.save()
    playlist = factories.PlaylistFactory(
        owner=alice, name="Songs <b>for</b> Sunday", description="Slow & quiet", is_public=True
    )
    tracks = [
        track_with_preview(title="First <script>alert(1)</script>", duration=125),
        track_with_preview(title="Second", duration=61),
        factories.TrackFactory(title="Hidden one", is_hidden=True),
        track_with_preview(title="No preview wanted", preview_allowed=False),
    ]
    for position, track in enumerate(tracks):
        factories.PlaylistItemFactory(playlist=playlist, track=track, position=position * 1000)
    return playlist


def test_a_public_playlist_page_lists_its_playable_tracks_escaped(browser, playlist):
    response = browser.get(f"/p/{playlist.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Songs &lt;b&gt;for&lt;/b&gt; Sunday" in html
    assert "First &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "Alice A." in html and "alice@example.com" not in html
    assert "Hidden one" not in html
    assert "2:05" in html and "1:01" in html
    assert html.count("data-preview=") == 2  # the opted-out track is listed without a player
    assert "No preview wanted" in html


def test_public_pages_are_cached_for_a_minute_under_a_strict_policy(browser, playlist):
    response = browser.get(f"/p/{playlist.pk}/")
    assert response["Cache-Control"] == "public, max-age=60"
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert re.search(r"media-src 'self' http://127\.0\.0\.1:8000", csp)
    assert "<script>" not in response.content.decode()  # no inline scripts at all
    assert not response.cookies


def test_open_graph_tags_use_absolute_urls(browser, playlist):
    html = browser.get(f"/p/{playlist.pk}/").content.decode()
    first = playlist.items.order_by("position").first().track
    assert f'<meta property="og:url" content="http://testserver/p/{playlist.pk}/">' in html
    assert f'<meta property="og:audio" content="http://testserver/t/{first.pk}/preview">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert 'name="robots"' not in html


def test_a_private_playlist_is_a_404_page(browser, alice):
    private = factories.PlaylistFactory(owner=alice, is_public=False)
    response = browser.get(f"/p/{private.pk}/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()
    assert "Content-Security-Policy" in response


def test_a_share_link_page_counts_the_visit_and_is_never_cached_or_indexed(browser, playlist):
    playlist.is_public = False
    playlist.save()
    share = factories.PlaylistShareFactory(playlist=playlist)
    response = browser.get(f"/s/{share.token}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    browser.get(f"/s/{share.token}/")
    assert PlaylistShare.objects.get(pk=share.pk).visit_count == 2


@pytest.mark.parametrize(
    "fields",
    [{"revoked_at": timezone.now()}, {"expires_at": timezone.now() - timedelta(minutes=1)}],
)
def test_a_revoked_or_expired_link_is_a_404_page(browser, playlist, fields):
    share = factories.PlaylistShareFactory(playlist=playlist, **fields)
    response = browser.get(f"/s/{share.token}/")
    assert response.status_code == 404
    assert "revoked or has expired" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_a_track_page_shows_its_synced_lyrics_and_preview(browser):
    track = track_with_preview(title="Sung", duration=200)
    TrackLyrics.objects.create(
        track=track,
        plain="One\nTwo",
        synced=[{"time_ms": 12500, "text": "One"}, {"time_ms": 15000, "text": "<Two>"}],
        source=LyricsSource.EDITED,
        language="en",
    )
    response = browser.get(f"/t/{track.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<li data-time-ms="12500">One</li>' in html
    assert "&lt;Two&gt;" in html
    assert 'data-offset-ms="12000"' in html
    assert 'lang="en"' in html
    assert '<meta property="og:type" content="music.song">' in html


def test_a_hidden_tracks_page_is_a_404(browser):
    track = track_with_preview(is_hidden=True)
    assert browser.get(f"/t/{track.pk}/").status_code == 404


def test_a_track_without_previews_has_no_player(browser):
    track = track_with_preview(preview_allowed=False)
    html = browser.get(f"/t/{track.pk}/").content.decode()
    assert "data-player" not in html
    assert "og:audio" not in html


def test_the_preview_address_redirects_to_a_fresh_signed_url(browser):
    track = track_with_preview()
    response = browser.get(f"/t/{track.pk}/preview")
    assert response.status_code == 302
    assert response["Location"].startswith("http://127.0.0.1:8000/storage/download/")
    assert response["Cache-Control"] == "no-store"
    opted_out = track_with_preview(preview_allowed=False)
    assert browser.get(f"/t/{opted_out.pk}/preview").status_code == 404


def test_the_preview_address_is_throttled_per_client_address(browser, throttle_rates):
    throttle_rates(preview="2/min")
    track = track_with_preview()
    codes = [browser.get(f"/t/{track.pk}/preview").status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert browser.get(f"/t/{track.pk}/preview", REMOTE_ADDR="10.9.8.7").status_code == 302


def test_a_long_playlists_page_without_artwork_stays_under_50_kb(browser, alice):
    playlist = factories.PlaylistFactory(owner=alice, is_public=True, description="d" * 2000)
    for position in range(120):
        track = factories.TrackFactory(title=f"A fairly long track title number {position}")
        give_preview(track)
        factories.PlaylistItemFactory(playlist=playlist, track=track, position=position)
    response = browser.get(f"/p/{playlist.pk}/")
    page = len(response.content)
    css = b"".join(browser.get("/static/share/page.css").streaming_content)
    js = b"".join(browser.get("/static/share/player.js").streaming_content)
    assert page + len(css) + len(js) < 50_000, (page, len(css), len(js))
    assert "More tracks are in the playlist" in response.content.decode()
