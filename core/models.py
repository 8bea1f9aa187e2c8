"""The domain's models, defined by topic and gathered here for Django."""

from core.accounts.models import User
from core.catalog.models import Album, Artist, Genre, Track
from core.library.models import Favorite, Play
from core.playlists.models import Playlist, PlaylistItem, PlaylistShare
from core.processing.models import ProcessingJob, TrackMedia, TrackVariant
from core.uploads.models import ImportedFile, Upload

__all__ = [
    "Album",
    "Artist",
    "Favorite",
    "Genre",
    "ImportedFile",
    "Play",
    "Playlist",
    "PlaylistItem",
    "PlaylistShare",
    "ProcessingJob",
    "Track",
    "TrackMedia",
    "TrackVariant",
    "Upload",
    "User",
]
