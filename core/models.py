"""The domain's models, defined by topic and gathered here for Django."""

from core.accounts.models import User
from core.artists.models import (
    ArtistFollow,
    ArtistManager,
    ArtistProfileChange,
    FeedEntry,
    UserFollow,
)
from core.catalog.models import Album, Artist, Genre, Track
from core.insights.models import (
    ListenedTrack,
    ListenedTrackGenre,
    ListenerQuarterHour,
    ListenerTrack,
)
from core.library.models import Favorite, Play
from core.playlists.models import Playlist, PlaylistItem, PlaylistShare
from core.processing.models import ProcessingJob, TrackMedia, TrackVariant
from core.ratings.models import AlbumRating, TrackRating
from core.reports.models import Report, ReportingBan
from core.uploads.models import ImportedFile, ImportFailure, Upload

__all__ = [
    "Album",
    "AlbumRating",
    "Artist",
    "ArtistFollow",
    "ArtistManager",
    "ArtistProfileChange",
    "Favorite",
    "FeedEntry",
    "Genre",
    "ImportFailure",
    "ImportedFile",
    "ListenedTrack",
    "ListenedTrackGenre",
    "ListenerQuarterHour",
    "ListenerTrack",
    "Play",
    "Playlist",
    "PlaylistItem",
    "PlaylistShare",
    "ProcessingJob",
    "Report",
    "ReportingBan",
    "Track",
    "TrackMedia",
    "TrackRating",
    "TrackVariant",
    "Upload",
    "User",
    "UserFollow",
]
