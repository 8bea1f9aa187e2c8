"""The domain's models, defined by topic and gathered here for Django."""

from core.accounts.models import AppPassword, User
from core.artists.models import (
    ArtistFollow,
    ArtistManager,
    ArtistProfileChange,
    FeedEntry,
    UserFollow,
)
from core.catalog.models import (
    Album,
    AlbumPlayable,
    Artist,
    ArtistIndexChange,
    ArtistPlayable,
    Genre,
    Track,
)
from core.history_import.models import HistoryImport, ScrobbleToken
from core.insights.models import (
    ArtistDayVersion,
    ListenedTrack,
    ListenedTrackGenre,
    ListenerGenreSpan,
    ListenerMonth,
    ListenerQuarterHour,
    ListenerStatsVersion,
    ListenerTrack,
)
from core.library.models import (
    AlbumFavorite,
    ArtistFavorite,
    ExternalListen,
    Favorite,
    Play,
    PlayQueue,
)
from core.lyrics.models import TrackLyrics
from core.playlists.models import Playlist, PlaylistItem, PlaylistShare
from core.portability.models import DataExport
from core.processing.models import ProcessingJob, TrackMedia, TrackVariant
from core.ratings.models import AlbumRating, TrackRating
from core.recommendations.models import (
    ArtistNeighbour,
    DailyMix,
    DailyMixItem,
    ListenerCandidate,
    RadioSession,
    RadioTrack,
    TrackNeighbour,
    TrainingRun,
)
from core.reports.models import Report, ReportingBan
from core.uploads.models import ImportedFile, ImportFailure, Upload

__all__ = [
    "Album",
    "AlbumFavorite",
    "AlbumPlayable",
    "AlbumRating",
    "AppPassword",
    "Artist",
    "ArtistDayVersion",
    "ArtistFavorite",
    "ArtistFollow",
    "ArtistIndexChange",
    "ArtistManager",
    "ArtistNeighbour",
    "ArtistPlayable",
    "ArtistProfileChange",
    "DailyMix",
    "DailyMixItem",
    "DataExport",
    "ExternalListen",
    "Favorite",
    "FeedEntry",
    "Genre",
    "HistoryImport",
    "ImportFailure",
    "ImportedFile",
    "ListenedTrack",
    "ListenedTrackGenre",
    "ListenerCandidate",
    "ListenerGenreSpan",
    "ListenerMonth",
    "ListenerQuarterHour",
    "ListenerStatsVersion",
    "ListenerTrack",
    "Play",
    "PlayQueue",
    "Playlist",
    "PlaylistItem",
    "PlaylistShare",
    "ProcessingJob",
    "RadioSession",
    "RadioTrack",
    "Report",
    "ReportingBan",
    "ScrobbleToken",
    "Track",
    "TrackLyrics",
    "TrackMedia",
    "TrackNeighbour",
    "TrackRating",
    "TrackVariant",
    "TrainingRun",
    "Upload",
    "User",
    "UserFollow",
]
