"""Fixtures for the hardening tests: a small world of objects every role can aim at."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from core.catalog.models import Album, Artist, Track
from core.library.models import Play
from core.lyrics.models import LyricsSource, TrackLyrics
from core.models import User
from core.playlists.models import Playlist, PlaylistShare
from core.uploads.models import Upload
from media_pipeline.storage import get_storage
from tests import factories
from tests.library.preview_helpers import give_preview

AUDIO = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 4


@dataclass
class World:
    """Objects owned by `owner` (a listener) and `track_uploader`, seen by everyone else."""

    owner: User
    track_uploader: User
    artist: Artist
    album: Album
    track: Track
    hidden_track: Track
    public_playlist: Playlist
    private_playlist: Playlist
    share: PlaylistShare
    play: Play
    upload: Upload


def stored_track(**kwargs) -> Track:
    """A ready track whose bytes are in the object store."""
    track = factories.TrackFactory(size=len(AUDIO), **kwargs)
    get_storage().write(track.storage_key, iter([AUDIO]), content_type="audio/mpeg")
    return track


@pytest.fixture
def world(db) -> World:
    owner = factories.UserFactory(username="owner")
    track_uploader = factories.UploaderFactory(username="track_uploader")
    track = stored_track(uploaded_by=track_uploader, title="Fuzzy Logic")
    give_preview(track)
    TrackLyrics.objects.create(track=track, plain="Fuzzy words", source=LyricsSource.TAGS)
    hidden = stored_track(uploaded_by=track_uploader, is_hidden=True, title="Hidden Away")
    public = factories.PlaylistFactory(owner=owner, name="Open Air", is_public=True)
    private = factories.PlaylistFactory(
        owner=owner, name="Secret Garden Mixtape", description="Only for me"
    )
    for playlist in (public, private):
        factories.PlaylistItemFactory(playlist=playlist, track=track, position=1024)
        playlist.items_count = 1
        playlist.save(update_fields=["items_count"])
    share = factories.PlaylistShareFactory(playlist=private)
    play = factories.PlayFactory(user=owner, track=track)
    factories.FavoriteFactory(user=owner, track=track)
    upload = Upload.objects.create(
        user=track_uploader,
        key=f"uploads/{track_uploader.pk}/pending.mp3",
        filename="pending.mp3",
        content_type="audio/mpeg",
        size=len(AUDIO),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return World(
        owner=owner,
        track_uploader=track_uploader,
        artist=track.artist,
        album=track.album,
        track=track,
        hidden_track=hidden,
        public_playlist=public,
        private_playlist=private,
        share=share,
        play=play,
        upload=upload,
    )
