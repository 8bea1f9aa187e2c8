"""The share pages in a real browser against the live test server, with processed tracks and
their previews in real storage (the local backend, then moto's S3 server): the list renders,
play plays, next moves on, lyrics follow the music, a revoked link is a 404 page, and the
page keeps its Content-Security-Policy without a console error."""

import pytest
import requests
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from core.catalog.models import Track
from tests import factories
from tests.browser.conftest import DESKTOP, PHONE, console_errors, screenshot
from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def processed(sample, **fields) -> Track:
    track = stored_track(sample, **fields)
    assert process_now(track) == "ready"
    return Track.objects.get(pk=track.pk)


def make_playlist(audio_samples, owner) -> tuple:
    playlist = factories.PlaylistFactory(
        owner=owner, name="Sunday <tones>", description="Three short tones.", is_public=False
    )
    tracks = [
        processed(audio_samples["mp3"], title="Tone one"),
        processed(audio_samples["flac"], title="Tone two"),
    ]
    hidden = processed(audio_samples["wav"], title="Hidden tone")
    Track.objects.filter(pk=hidden.pk).update(is_hidden=True)
    for position, track in enumerate([tracks[0], hidden, tracks[1]]):
        factories.PlaylistItemFactory(playlist=playlist, track=track, position=position * 1000)
    share = factories.PlaylistShareFactory(playlist=playlist)
    return playlist, tracks, share


def audio_state(driver) -> dict:
    return driver.execute_script(
        "var a = document.querySelector('audio');"
        "return {time: a.currentTime, paused: a.paused, src: a.currentSrc || a.src};"
    )


def wait_playing_past(driver, seconds: float, *, src_part: str = "") -> dict:
    def check(d):
        state = audio_state(d)
        return state if state["time"] > seconds and src_part in state["src"] else False

    return WebDriverWait(driver, 20, poll_frequency=0.1).until(check)


def button(driver, name: str):
    return driver.find_element(By.CSS_SELECTOR, f'[data-player] button[aria-label="{name}"]')


def exercise_share_page(driver, live_server, playlist, tracks, share, *, shots: str = ""):
    url = f"{live_server.url}/s/{share.token}/"
    headers = requests.get(url, timeout=10).headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "private, no-store"

    console_errors(driver)  # start from an empty log
    driver.get(url)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Sunday <tones>"
    rows = driver.find_elements(By.CSS_SELECTOR, "[data-tracklist] li")
    assert [row.find_element(By.CSS_SELECTOR, ".title").text for row in rows] == [
        "Tone one",
        "Tone two",
    ]
    assert "Hidden tone" not in driver.page_source
    if shots:
        screenshot(driver, f"{shots}-desktop", DESKTOP)
        screenshot(driver, f"{shots}-phone", PHONE)

    button(driver, "Play").click()
    wait_playing_past(driver, 0.3, src_part=f"/t/{tracks[0].pk}/preview")
    assert button(driver, "Pause").get_attribute("aria-label") == "Pause"
    assert rows[0].get_attribute("aria-current") == "true"

    button(driver, "Next").click()
    wait_playing_past(driver, 0.3, src_part=f"/t/{tracks[1].pk}/preview")
    assert rows[1].get_attribute("aria-current") == "true"
    assert rows[0].get_attribute("aria-current") is None

    # The keyboard alone: focus Previous, press Enter; then the space bar pauses.
    button(driver, "Previous").send_keys(Keys.ENTER)  # within 3 s of the start: back one
    wait_playing_past(driver, 0.3, src_part=f"/t/{tracks[0].pk}/preview")
    driver.find_element(By.TAG_NAME, "body").send_keys(" ")
    WebDriverWait(driver, 5).until(lambda d: audio_state(d)["paused"])
    assert button(driver, "Play")

    assert console_errors(driver) == []


@pytest.mark.django_db(transaction=True)
def test_a_share_link_plays_its_previews_on_the_local_backend(
    chromium, live_server, local_storage, audio_samples, no_variants, alice
):
    playlist, tracks, share = make_playlist(audio_samples, alice)
    exercise_share_page(chromium, live_server, playlist, tracks, share, shots="share-page")

    share.revoked_at = timezone.now()
    share.save()
    chromium.get(f"{live_server.url}/s/{share.token}/")
    assert chromium.find_element(By.TAG_NAME, "h1").text == "Not found"
    assert "revoked or has expired" in chromium.page_source
    assert "Tone one" not in chromium.page_source


@pytest.mark.django_db(transaction=True)
def test_a_track_page_highlights_the_synced_lyrics_as_the_preview_plays(
    chromium, live_server, local_storage, audio_samples, no_variants
):
    track = processed(audio_samples["mp3"], title="Sung tone")  # lyrics at 0.5 s and 2.25 s
    console_errors(chromium)
    chromium.get(f"{live_server.url}/t/{track.pk}/")
    lines = chromium.find_elements(By.CSS_SELECTOR, "[data-lyrics] li")
    assert [line.text for line in lines] == ["First line of the song", "Second line of the song"]
    button(chromium, "Play").click()
    WebDriverWait(chromium, 20, poll_frequency=0.1).until(
        lambda d: lines[1].get_attribute("aria-current") == "true"
    )
    assert lines[0].get_attribute("aria-current") is None
    screenshot(chromium, "track-page-desktop", DESKTOP)
    assert console_errors(chromium) == []


@pytest.mark.django_db(transaction=True)
def test_a_share_link_plays_its_previews_from_s3(
    chromium, live_server, s3_storage, moto_server, audio_samples, no_variants, alice, settings
):
    settings.PUBLIC_BASE_URL = live_server.url
    playlist, tracks, share = make_playlist(audio_samples, alice)
    csp = requests.get(f"{live_server.url}/s/{share.token}/", timeout=10).headers[
        "Content-Security-Policy"
    ]
    assert f"media-src 'self' {moto_server}" in csp
    exercise_share_page(chromium, live_server, playlist, tracks, share)


@pytest.mark.django_db(transaction=True)
def test_a_private_playlist_is_a_404_page_in_the_browser(chromium, live_server, alice):
    playlist = factories.PlaylistFactory(owner=alice, is_public=False, name="Secret list")
    chromium.get(f"{live_server.url}/p/{playlist.pk}/")
    assert chromium.find_element(By.TAG_NAME, "h1").text == "Not found"
    assert "Secret list" not in chromium.page_source
