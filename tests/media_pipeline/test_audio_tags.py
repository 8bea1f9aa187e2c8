import pytest
from mutagen.flac import FLAC

from media_pipeline.audio.tags import SyncedLine, Tags, parse_lrc, read_tags
from tests.media_pipeline.audio_fixtures import LYRICS, SYNCED

FORMATS = ["mp3", "flac", "opus", "m4a", "wav"]


@pytest.mark.parametrize("name", FORMATS)
def test_common_tags_are_read_from_every_format(audio_samples, name):
    sample = audio_samples[name]
    found = read_tags(sample.path)
    assert found.title == sample.tags["title"]
    assert found.artist == "The Sine Waves"
    assert found.album == "Test Tones"
    assert found.track_number == 3
    assert found.year == 2019
    assert found.genres == ["Ambient"]


@pytest.mark.parametrize("name", FORMATS)
def test_plain_lyrics_are_read_from_every_format(audio_samples, name):
    assert read_tags(audio_samples[name].path).lyrics == LYRICS


@pytest.mark.parametrize("name", ["mp3", "flac", "opus"])
def test_synced_lyrics_come_from_sylt_syncedlyrics_or_lrc_text(audio_samples, name):
    synced = read_tags(audio_samples[name].path).lyrics_synced
    assert [{"time": line.time, "text": line.text} for line in synced] == SYNCED


def test_a_file_without_tags_gives_empty_tags(audio_samples):
    assert read_tags(audio_samples["text"].path) == Tags()


def test_lrc_lines_with_several_stamps_and_no_stamp():
    text = "[ar:Someone]\n[00:10.00][00:30.5]Chorus\nno stamp here\n[00:01.123]Start"
    assert parse_lrc(text) == [
        SyncedLine(time=1.123, text="Start"),
        SyncedLine(time=10.0, text="Chorus"),
        SyncedLine(time=30.5, text="Chorus"),
    ]


def test_tags_read_from_a_file_lose_bidi_controls(audio_samples, tmp_path):
    path = tmp_path / "spoof.flac"
    path.write_bytes(audio_samples["flac"].path.read_bytes())
    audio = FLAC(path)
    audio["title"] = "invoice\u202egpj.exe"
    audio["artist"] = "The\u200b Sine\u2066 Waves"
    audio["genre"] = "Amb\u202eient"
    audio.save()

    found = read_tags(path)

    assert found.title == "invoicegpj.exe"
    assert found.artist == "The Sine Waves"
    assert found.genres == ["Ambient"]
