"""The domain's models, defined by topic and gathered here for Django."""

from core.accounts.models import AppPassword, User
from core.catalog.models import Album, Artist, Genre, Track
from core.insights.models import (
    ListenedTrack,
    ListenedTrackGenre,
    ListenerQuarterHour,
    ListenerTrack,
)
from core.library.models import AlbumFavorite, ArtistFavorite, Favorite, Play, PlayQueue
from core.playlists.models import Playlist, PlaylistItem, PlaylistShare
from core.processing.models import ProcessingJob, TrackMedia, TrackVariant
from core.reports.models import Report, ReportingBan
from core.uploads.models import ImportedFile, ImportFailure, Upload

__all__ = [
    "Album",
    "AlbumFavorite",
    "AppPassword",
    "Artist",
    "ArtistFavorite",
    "Favorite",
    "Genre",
    "ImportFailure",
    "ImportedFile",
    "ListenedTrack",
    "ListenedTrackGenre",
    "ListenerQuarterHour",
    "ListenerTrack",
    "Play",
    "PlayQueue",
    "Playlist",
    "PlaylistItem",
    "PlaylistShare",
    "ProcessingJob",
    "Report",
    "ReportingBan",
    "Track",
    "TrackMedia",
    "TrackVariant",
    "Upload",
    "User",
]
