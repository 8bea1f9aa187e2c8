"""A moderator judges a track from its admin page: a player, loudness, variants and waveform."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.catalog.admin_media import WAVEFORM_BARS, waveform_svg
from tests import factories
from tests.catalog.admin_player import fetch, player_source
from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = pytest.mark.django_db


def _browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _track_page(client: Client, track) -> str:
    response = client.get(reverse("admin:core_track_change", args=[track.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def processed(audio_samples):
    track = stored_track(audio_samples["mp3"], title="Tone")
    assert process_now(track) == "ready"
    return track


def test_moderator_plays_the_low_variant_from_the_track_page(moderator, processed):
    browser = _browser(moderator)

    url, quality = player_source(_track_page(browser, processed))
    audio = fetch(Client(), url)  # a signed URL needs no admin session

    assert quality == "low"
    assert audio[4:8] == b"ftyp"  # an M4A file
    assert len(audio) == processed.variants.get(quality="low").size


def test_a_track_without_variants_plays_its_original(moderator, audio_samples, settings):
    settings.PIPELINE_VARIANTS = []
    track = stored_track(audio_samples["mp3"], title="Tone")
    process_now(track)

    url, quality = player_source(_track_page(_browser(moderator), track))

    assert quality == "original"
    assert fetch(Client(), url) == audio_samples["mp3"].path.read_bytes()


def test_track_page_shows_loudness_variants_and_a_waveform(moderator, processed):
    page = _track_page(_browser(moderator), processed)

    assert re.search(r"-\d+\.\d LUFS, true peak -?\d+\.\d dBTP", page)
    assert "Low (about 64 kbps): aac, " in page
    assert "Normal (about 128 kbps): aac, " in page
    assert '<svg class="waveform"' in page


def test_track_page_names_each_field_once_in_plain_words(moderator):
    track = factories.TrackFactory(placeholder_fields=["title"])

    page = _track_page(_browser(moderator), track)

    assert len(re.findall(r">Size:?</label>", page)) == 1
    assert "Placeholder fields" not in page
    assert "Filled in automatically" in page


def test_track_list_keeps_to_seven_columns(moderator):
    factories.TrackFactory(title="A long title " * 5, is_hidden=True)

    page = _browser(moderator).get(reverse("admin:core_track_changelist")).content.decode()

    header = page[page.index("<thead>") : page.index("</thead>")]
    assert header.count('scope="col"') <= 1 + 7  # the selection box and seven columns
    assert "Ready, hidden" in page


def test_the_waveform_is_at_most_two_hundred_bars_of_numbers_only():
    svg = waveform_svg([i / 1000 for i in range(1000)])

    assert svg.count("<rect") == WAVEFORM_BARS
    assert "<script" not in svg
