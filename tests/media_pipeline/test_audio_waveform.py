import pytest

from media_pipeline.audio.waveform import compute
from tests.media_pipeline.audio_fixtures import ffmpeg


@pytest.mark.parametrize("name", ["mp3", "flac", "opus", "m4a", "wav"])
def test_waveform_has_a_thousand_peaks_between_zero_and_one(audio_samples, name):
    sample = audio_samples[name]
    waveform = compute(sample.path, duration=sample.duration)
    assert len(waveform.peaks) == 1000
    assert all(0.0 <= peak <= 1.0 for peak in waveform.peaks)
    assert max(waveform.peaks) > 0.05
    assert waveform.decoded_seconds == pytest.approx(sample.duration, abs=0.1)


def test_waveform_follows_the_shape_of_the_sound(tmp_path):
    # Two seconds of silence, then two seconds of a full-scale tone.
    path = tmp_path / "step.wav"
    ffmpeg(
        "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono:d=2",
        "-f", "lavfi", "-i", "sine=f=300:r=44100:d=2,volume=2",
        "-filter_complex", "[0][1]concat=n=2:v=0:a=1", str(path),
    )  # fmt: skip
    peaks = compute(path, duration=4.0, points=200).peaks
    assert len(peaks) == 200
    assert max(peaks[:95]) < 0.01
    assert min(peaks[105:]) > 0.2


def test_truncated_file_decodes_to_less_than_it_declares(audio_samples):
    sample = audio_samples["truncated"]
    waveform = compute(sample.path, duration=5.0)
    assert waveform.decoded_seconds < 3.0
    assert len(waveform.peaks) == 1000


def test_short_sound_still_gives_the_requested_length(tmp_path):
    path = tmp_path / "blip.wav"
    ffmpeg("-f", "lavfi", "-i", "sine=d=0.05", str(path))
    assert len(compute(path, duration=0.05, points=1000).peaks) == 1000
