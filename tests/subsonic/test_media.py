"""stream, download and getCoverArt: a 302 to a presigned URL of the original or the nearest
variant, or X-Accel-Redirect for nginx; a stream is not a play."""

from urllib.parse import urlsplit

import pytest

from core.catalog.models import Album
from core.library.models import Play
from core.processing.models import TrackMedia
from media_pipeline.storage.local import read_download_token
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def track_with_variants(library):
    track = library["tracks"]["something"]
    TrackMedia.objects.create(
        track=track, bitrate=320_000, artwork={"64": "art/64.jpg", "256": "art/256.jpg"}
    )
    factories.TrackVariantFactory(track=track, quality="normal", bitrate=128_000)
    factories.TrackVariantFactory(track=track, quality="low", bitrate=64_000)
    return track


def _key(response) -> str:
    """The stored object a redirect to the local backend's signed URL serves."""
    assert response.status_code == 302
    token = urlsplit(response["Location"]).path.rsplit("/", 1)[-1]
    return read_download_token(token).key


def test_stream_redirects_to_the_original_and_opens_no_history_entry(
    alice_sonic, track_with_variants
):
    response = alice_sonic.raw("stream", id=str(track_with_variants.pk))

    assert _key(response) == track_with_variants.storage_key
    assert Play.objects.count() == 0


def test_max_bit_rate_picks_the_best_variant_within_it(alice_sonic, track_with_variants):
    pk = str(track_with_variants.pk)
    original = _key(alice_sonic.raw("stream", id=pk))

    assert _key(alice_sonic.raw("stream", id=pk, maxBitRate=320)) == original
    normal = _key(alice_sonic.raw("stream", id=pk, maxBitRate=192))
    low = _key(alice_sonic.raw("stream", id=pk, maxBitRate=96))
    smallest = _key(alice_sonic.raw("stream", id=pk, maxBitRate=32))
    assert original == track_with_variants.storage_key
    assert normal.endswith("normal.m4a")
    assert low.endswith("low.m4a")
    assert smallest == low


def test_format_raw_is_the_original_and_a_variant_format_a_variant(
    alice_sonic, track_with_variants
):
    pk = str(track_with_variants.pk)
    original = _key(alice_sonic.raw("stream", id=pk))

    assert _key(alice_sonic.raw("stream", id=pk, format="raw", maxBitRate=64)) == original
    assert _key(alice_sonic.raw("stream", id=pk, format="aac")) != original


def test_download_is_always_the_original(alice_sonic, track_with_variants):
    pk = str(track_with_variants.pk)

    assert _key(alice_sonic.raw("download", id=pk)) == _key(alice_sonic.raw("stream", id=pk))


def test_accel_mode_hands_the_url_to_nginx(alice_sonic, track_with_variants, settings):
    settings.SUBSONIC_STREAM_MODE = "accel"

    response = alice_sonic.raw("stream", id=str(track_with_variants.pk))

    assert response.status_code == 200
    assert response.content == b""
    target = response["X-Accel-Redirect"]
    assert target.startswith("/_subsonic_media/http/")


def test_a_hidden_track_does_not_stream(alice_sonic, library):
    body = alice_sonic.json("stream", id=str(library["tracks"]["hidden"].pk))

    assert body["error"]["code"] == 70


def test_cover_art_redirects_to_the_nearest_thumbnail(alice_sonic, track_with_variants):
    album = f"al-{track_with_variants.album_id}"

    small = alice_sonic.raw("getCoverArt", id=album, size=50)
    large = alice_sonic.raw("getCoverArt", id=album, size=600)
    song = alice_sonic.raw("getCoverArt", id=f"tr-{track_with_variants.pk}", size=100)

    assert small.status_code == large.status_code == song.status_code == 302
    assert _key(small) == "art/64.jpg"
    assert _key(large) == "art/256.jpg"
    assert _key(song) == "art/256.jpg"


def test_cover_art_of_an_album_without_any_is_error_70(alice_sonic, library):
    album = f"al-{library['albums']['help'].pk}"

    assert alice_sonic.json("getCoverArt", id=album)["error"]["code"] == 70


def test_a_hidden_albums_cover_is_not_found_for_a_listener(alice_sonic, track_with_variants):
    Album.objects.filter(pk=track_with_variants.album_id).update(is_hidden=True)

    body = alice_sonic.json("getCoverArt", id=f"al-{track_with_variants.album_id}")

    assert body["error"]["code"] == 70
