import pytest

from media_pipeline.audio.formats import canonical
from media_pipeline.audio.probe import NotAudio, probe
from tests.media_pipeline.audio_fixtures import ffmpeg

FORMATS = ["mp3", "flac", "opus", "m4a", "wav"]


@pytest.mark.parametrize("name", FORMATS)
def test_probe_reports_duration_within_a_tenth_of_a_second(audio_samples, name):
    sample = audio_samples[name]
    info = probe(sample.path)
    assert info.duration == pytest.approx(sample.duration, abs=0.1)
    assert info.codec == sample.codec
    assert info.content_type == sample.content_type
    assert info.sample_rate == 48000
    assert info.channels == (1 if name == "wav" else 2)
    assert info.bitrate and info.bitrate > 0


def test_text_renamed_to_mp3_is_not_audio(audio_samples):
    with pytest.raises(NotAudio, match=r"^Not an audio file: ffprobe did not recognise it"):
        probe(audio_samples["text"].path)


def test_picture_renamed_to_mp3_is_refused_as_a_format_not_accepted(audio_samples):
    with pytest.raises(NotAudio) as refused:
        probe(audio_samples["picture"].path)
    assert str(refused.value) == (
        "Not an audio file: Tonearm accepts MP3, AAC, MP4, FLAC, Ogg, WAV, AIFF and "
        "Matroska/WebM audio, not playlists or other formats"
    )


def test_video_without_sound_has_no_audio_stream(tmp_path):
    silent_film = tmp_path / "film.m4a"
    ffmpeg("-f", "lavfi", "-i", "color=d=1:s=64x64", "-c:v", "mpeg4", "-f", "mp4", str(silent_film))
    with pytest.raises(NotAudio, match=r"^Not an audio file: ffprobe found no audio stream$"):
        probe(silent_film)


def test_zero_byte_file_is_reported_empty(audio_samples):
    with pytest.raises(NotAudio, match=r"^Uploaded file is empty$"):
        probe(audio_samples["empty"].path)


def test_audio_header_that_will_not_open_is_reported_corrupt(audio_samples, tmp_path):
    damaged = tmp_path / "damaged.m4a"
    damaged.write_bytes(audio_samples["m4a"].path.read_bytes()[:2000])
    with pytest.raises(NotAudio) as refused:
        probe(damaged)
    # A fixed sentence: ffprobe's own words name the temporary path.
    assert str(refused.value) == "File is truncated or corrupt: ffprobe could not open it"


@pytest.mark.parametrize(
    ("declared", "normal"),
    [
        ("audio/x-flac", "audio/flac"),
        ("audio/mp3", "audio/mpeg"),
        ("Audio/MPEG", "audio/mpeg"),
        ("audio/x-wav", "audio/wav"),
        ("audio/x-m4a", "audio/mp4"),
        ("audio/ogg; codecs=opus", "audio/ogg"),
    ],
)
def test_content_type_aliases_fold_to_one_name(declared, normal):
    assert canonical(declared) == normal
