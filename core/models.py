"""The domain's models, defined by topic and gathered here for Django."""

from core.accounts.models import User
from core.catalog.models import Album, Artist, Genre, Track
from core.insights.models import (
    ListenedTrack,
    ListenedTrackGenre,
    ListenerQuarterHour,
    ListenerTrack,
)
from core.library.models import Favorite, Play
from core.playlists.models import Playlist, PlaylistItem, PlaylistShare
from core.reports.models import Report, ReportingBan

__all__ = [
    "Album",
    "Artist",
    "Favorite",
    "Genre",
    "ListenedTrack",
    "ListenedTrackGenre",
    "ListenerQuarterHour",
    "ListenerTrack",
    "Play",
    "Playlist",
    "PlaylistItem",
    "PlaylistShare",
    "Report",
    "ReportingBan",
    "Track",
    "User",
]
