import pytest

from media_pipeline.audio.loudness import measure, replay_gain
from tests.media_pipeline.audio_fixtures import ffmpeg, reference_loudness


@pytest.mark.parametrize("name", ["mp3", "flac", "opus", "m4a", "wav"])
def test_loudness_is_within_one_lu_of_ffmpeg_loudnorm(audio_samples, name):
    path = audio_samples[name].path
    expected_lufs, expected_peak = reference_loudness(path)
    measured = measure(path)
    assert measured.integrated_lufs == pytest.approx(expected_lufs, abs=1.0)
    assert measured.true_peak_db == pytest.approx(expected_peak, abs=1.0)
    assert measured.replay_gain_db == pytest.approx(-18 - measured.integrated_lufs, abs=0.01)


def test_louder_file_gets_a_smaller_gain(tmp_path):
    quiet, loud = tmp_path / "quiet.wav", tmp_path / "loud.wav"
    for path, volume in ((quiet, 0.05), (loud, 0.8)):
        ffmpeg("-f", "lavfi", "-i", f"sine=f=1000:d=3,volume={volume}", str(path))
    assert measure(loud).replay_gain_db < measure(quiet).replay_gain_db
    assert measure(loud).integrated_lufs - measure(quiet).integrated_lufs == pytest.approx(
        24.1, abs=1.0
    )


def test_silence_has_no_gain(tmp_path):
    silent = tmp_path / "silent.wav"
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo", "-t", "3", str(silent))
    result = measure(silent)
    assert result.integrated_lufs == -70.0
    assert result.replay_gain_db is None


def test_replay_gain_follows_the_minus_18_lufs_reference():
    assert replay_gain(-14.0) == -4.0
    assert replay_gain(-23.5) == 5.5
