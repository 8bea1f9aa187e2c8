import io

import pytest
from PIL import Image

from media_pipeline.audio.artwork import BadArtwork, extract_cover, make_thumbnails


@pytest.mark.parametrize("name", ["mp3", "flac", "opus", "m4a"])
def test_embedded_cover_is_found_in_every_format(audio_samples, name):
    cover = extract_cover(audio_samples[name].path)
    assert cover is not None
    assert Image.open(io.BytesIO(cover)).size == (900, 700)


def test_a_file_without_cover_gives_none(audio_samples):
    assert extract_cover(audio_samples["wav"].path) is None


def test_thumbnails_are_square_jpegs_of_each_size(audio_samples):
    cover = extract_cover(audio_samples["flac"].path)
    thumbnails = make_thumbnails(cover, (64, 256, 640))
    assert sorted(thumbnails) == [64, 256, 640]
    for size, data in thumbnails.items():
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG"
        assert image.size == (size, size)


def test_small_cover_is_not_enlarged():
    out = io.BytesIO()
    Image.new("RGB", (100, 120), "red").save(out, "PNG")
    thumbnails = make_thumbnails(out.getvalue(), (64, 256))
    assert Image.open(io.BytesIO(thumbnails[64])).size == (64, 64)
    assert Image.open(io.BytesIO(thumbnails[256])).size == (100, 100)


def test_bytes_that_are_not_an_image_are_refused():
    with pytest.raises(BadArtwork):
        make_thumbnails(b"not a picture at all", (64,))
