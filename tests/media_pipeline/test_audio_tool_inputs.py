"""Every ffmpeg and ffprobe call opens one local file, with an accepted demuxer, for a time
in proportion to that file."""

import time

import pytest

from media_pipeline.audio import tools
from media_pipeline.audio.loudness import LoudnessError, measure
from media_pipeline.audio.probe import NotAudio, probe
from media_pipeline.audio.transcode import PROFILES, TranscodeError, transcode
from media_pipeline.audio.waveform import WaveformError, compute
from tests.media_pipeline.audio_fixtures import ffmpeg, ffprobe_stream
from tests.media_pipeline.crafted_files import hls, secret_audio


@pytest.fixture
def playlist(tmp_path):
    path = tmp_path / "upload.mp3"
    path.write_bytes(hls(str(secret_audio(tmp_path))))
    return path


def test_loudness_will_not_follow_a_playlist(playlist):
    with pytest.raises(LoudnessError):
        measure(playlist)


def test_waveform_will_not_follow_a_playlist(playlist):
    with pytest.raises(WaveformError):
        compute(playlist, duration=5.0)


def test_transcoding_will_not_follow_a_playlist(playlist, tmp_path):
    with pytest.raises(TranscodeError):
        transcode(playlist, tmp_path, PROFILES["low"], channels=2)
    assert not (tmp_path / "low.m4a").exists()


def test_a_probe_that_hangs_is_stopped_after_the_allowance_of_a_small_file(
    tmp_path, monkeypatch, settings
):
    hanging = tmp_path / "ffprobe"
    hanging.write_text("#!/bin/sh\nexec sleep 60\n")
    hanging.chmod(0o755)
    monkeypatch.setattr(tools, "FFPROBE", str(hanging))
    monkeypatch.setattr(tools, "BASE_SECONDS", 1.0)
    settings.PIPELINE_TOOL_TIMEOUT_SECONDS = 3600
    upload = tmp_path / "upload.mp3"
    upload.write_bytes(b"#EXTM3U\n" + b"x" * 93)

    started = time.monotonic()
    with pytest.raises(NotAudio) as refused:
        probe(upload)

    assert time.monotonic() - started < 10
    assert str(refused.value) == "File could not be read in the time a file of its size allows"


def test_a_tiny_file_cannot_buy_time_by_declaring_hours(tmp_path, settings):
    settings.PIPELINE_TOOL_TIMEOUT_SECONDS = 3600
    tiny = tmp_path / "tiny.mp3"
    tiny.write_bytes(b"x" * 101)
    large = tmp_path / "large.flac"
    large.write_bytes(b"x" * 50 * 2**20)

    assert tools.Source(tiny, duration=36_000).time_limit() < tools.BASE_SECONDS + 1
    assert tools.Source(large, duration=300).time_limit() == pytest.approx(
        tools.BASE_SECONDS + 50 * tools.SECONDS_PER_MEBIBYTE + 300 * tools.SECONDS_PER_AUDIO_SECOND
    )
    settings.PIPELINE_TOOL_TIMEOUT_SECONDS = 60
    assert tools.Source(large, duration=300).time_limit() == 60


@pytest.mark.parametrize(
    ("name", "codec_args", "demuxer"),
    [
        ("tone.mp3", ["-c:a", "libmp3lame"], "mp3"),
        ("tone.aac", ["-c:a", "aac", "-f", "adts"], "aac"),
        ("tone.m4a", ["-c:a", "aac"], "mov"),
        ("tone.flac", ["-c:a", "flac"], "flac"),
        ("tone.ogg", ["-c:a", "libvorbis"], "ogg"),
        ("tone.opus", ["-c:a", "libopus", "-f", "ogg"], "ogg"),
        ("tone.wav", ["-c:a", "pcm_s16le"], "wav"),
        ("tone.aiff", ["-c:a", "pcm_s16be"], "aiff"),
        ("tone.webm", ["-c:a", "libopus"], "matroska"),
        ("tone.mka", ["-c:a", "flac"], "matroska"),
    ],
)
def test_every_accepted_container_is_probed_decoded_and_converted(
    tmp_path, name, codec_args, demuxer
):
    path = tmp_path / name
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", *codec_args, str(path))

    info = probe(path)
    audio = info.source(path)

    assert info.demuxer == demuxer
    assert info.duration == pytest.approx(2.0, abs=0.1)
    assert measure(audio).integrated_lufs > -70
    assert compute(audio, duration=info.duration).decoded_seconds == pytest.approx(2.0, abs=0.1)
    variant = transcode(audio, tmp_path, PROFILES["low"], channels=info.channels)
    assert float(ffprobe_stream(variant.path)["duration"]) == pytest.approx(2.0, abs=0.1)
