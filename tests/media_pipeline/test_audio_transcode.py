import pytest

from media_pipeline.audio.transcode import PROFILES, TranscodeError, transcode
from tests.media_pipeline.audio_fixtures import ffmpeg, ffprobe_stream


@pytest.mark.parametrize("name", ["mp3", "flac", "opus", "m4a", "wav"])
@pytest.mark.parametrize("quality", ["normal", "low"])
def test_variant_is_aac_in_m4a_near_its_target_bitrate(audio_samples, tmp_path, name, quality):
    sample = audio_samples[name]
    variant = transcode(sample.path, tmp_path, PROFILES[quality], channels=2)
    probed = ffprobe_stream(variant.path)
    assert probed["codec_name"] == "aac"
    assert "mp4" in probed["format_name"]
    target = PROFILES[quality].bitrate
    assert int(probed["bit_rate"]) == pytest.approx(target, rel=0.1)
    assert variant.bitrate == int(probed["bit_rate"])
    assert float(probed["duration"]) == pytest.approx(sample.duration, abs=0.1)
    assert variant.size == variant.path.stat().st_size
    assert variant.content_type == "audio/mp4"


def test_variant_keeps_tags_and_drops_the_cover(audio_samples, tmp_path):
    from media_pipeline.audio.artwork import extract_cover
    from media_pipeline.audio.tags import read_tags

    variant = transcode(audio_samples["mp3"].path, tmp_path, PROFILES["normal"], channels=2)
    assert read_tags(variant.path).title == "Tone in MP3"
    assert extract_cover(variant.path) is None


def test_surround_is_downmixed_to_stereo(tmp_path):
    source = tmp_path / "surround.wav"
    ffmpeg("-f", "lavfi", "-i", "sine=d=2", "-af", "aformat=channel_layouts=5.1", str(source))
    variant = transcode(source, tmp_path, PROFILES["normal"], channels=6)
    assert ffprobe_stream(variant.path)["channels"] == 2


def test_undecodable_input_raises(audio_samples, tmp_path):
    with pytest.raises(TranscodeError):
        transcode(audio_samples["text"].path, tmp_path, PROFILES["normal"], channels=2)
