import pytest

from core.catalog.models import Album, TrackStatus
from tests import factories
from tests.media_pipeline.audio_fixtures import process_now, stored_track

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_variants")]


def test_what_the_uploader_typed_is_kept(audio_samples):
    artist = factories.ArtistFactory(name="Typed Artist")
    album = factories.AlbumFactory(title="Typed Album", artist=artist, year=1999)
    genre = factories.GenreFactory(name="Typed Genre")
    track = stored_track(
        audio_samples["mp3"],
        title="Typed title",
        artist=artist,
        album=album,
        track_number=9,
        year=1999,
        genres=[genre],
    )

    assert process_now(track) == "ready"

    track.refresh_from_db()
    assert track.title == "Typed title"
    assert track.artist.name == "Typed Artist"
    assert track.album == album
    assert track.track_number == 9
    assert track.year == 1999
    assert [g.name for g in track.genres.all()] == ["Typed Genre"]
    assert not Album.objects.filter(title="Test Tones").exists()


def test_album_with_artwork_keeps_its_artwork(audio_samples):
    from django.core.files.base import ContentFile

    album = factories.AlbumFactory(title="Has cover")
    album.artwork.save("mine.jpg", ContentFile(b"typed-by-uploader"), save=True)
    track = stored_track(audio_samples["flac"], artist=album.artist, album=album)

    process_now(track)

    album.refresh_from_db()
    with album.artwork.open("rb") as f:
        assert f.read() == b"typed-by-uploader"


def test_tags_reuse_existing_artist_album_and_genre_whatever_their_case(audio_samples):
    artist = factories.ArtistFactory(name="the sine waves")
    album = factories.AlbumFactory(title="TEST TONES", artist=artist)
    genre = factories.GenreFactory(name="ambient")
    track = stored_track(audio_samples["flac"], artist=artist)

    process_now(track)

    track.refresh_from_db()
    assert track.album == album
    assert list(track.genres.all()) == [genre]
    assert track.status == TrackStatus.READY


def test_an_artist_the_uploader_typed_is_kept_even_if_it_reads_unknown_artist(audio_samples):
    artist = factories.ArtistFactory(name="Unknown artist")
    track = stored_track(audio_samples["flac"], title="Typed", artist=artist)

    process_now(track)

    track.refresh_from_db()
    assert track.artist == artist


def test_an_album_typed_without_an_artist_moves_under_the_tagged_artist(audio_samples):
    placeholder = factories.ArtistFactory(name="Unknown artist")
    album = factories.AlbumFactory(title="Typed Album", artist=placeholder)
    track = stored_track(
        audio_samples["flac"], artist=placeholder, album=album, placeholder_fields=["artist"]
    )

    process_now(track)

    track.refresh_from_db()
    assert track.artist.name == "The Sine Waves"
    assert (track.album.title, track.album.artist) == ("Typed Album", track.artist)
