"""What a public page shows: a playlist's playable tracks (or one track) with their preview
links, artwork and lyrics, read for an anonymous visitor whoever asks (pages are cached
publicly)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from core.api.errors import NotFound
from core.catalog.models import Track
from core.playlists.models import Playlist
from core.playlists.selectors import playlist_items_for_listing
from core.processing.selectors import artwork_urls

PAGE_TRACKS = 80  # a page lists the first 80 (under 50 KB); the API pages through the rest
MOSAIC_TILES = 4


@dataclass(frozen=True)
class PageTrack:
    id: int
    title: str
    artist: str
    album: str
    duration: str
    preview_path: str  # empty: no preview to play
    artwork: str  # 256 px cover URL, or empty


@dataclass
class PlaylistPage:
    playlist: Playlist
    owner_name: str
    tracks: list[PageTrack]
    more: bool  # tracks beyond the first PAGE_TRACKS
    mosaic: list[str] = field(default_factory=list)

    @property
    def has_player(self) -> bool:
        return any(track.preview_path for track in self.tracks)


def display_name(user) -> str:
    """What a page calls a person: their nickname, else their username, never an email."""
    return user.nickname or user.username


def duration_text(seconds: float | None) -> str:
    if not seconds:
        return ""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _has_preview(track: Track) -> bool:
    media = getattr(track, "media", None)
    return bool(track.preview_allowed and media is not None and media.preview_key)


def page_track(track: Track) -> PageTrack:
    covers = artwork_urls(getattr(track, "media", None), expires_in=settings.AWS_QUERYSTRING_EXPIRE)
    return PageTrack(
        id=track.pk,
        title=track.title,
        artist=track.artist.name,
        album=track.album.title if track.album else "",
        duration=duration_text(track.duration),
        preview_path=reverse("share-track-preview", args=[track.pk]) if _has_preview(track) else "",
        artwork=covers.get("256", ""),
    )


def playlist_page(playlist: Playlist) -> PlaylistPage:
    """The page of a playlist already known to be public or shared: its first PAGE_TRACKS
    playable tracks and a mosaic of up to four album covers."""
    items = list(
        playlist_items_for_listing(playlist_id=playlist.pk, user=AnonymousUser())[: PAGE_TRACKS + 1]
    )
    tracks = [page_track(item.track) for item in items[:PAGE_TRACKS]]
    mosaic: list[str] = []
    for track in tracks:
        if track.artwork and track.artwork not in mosaic:
            mosaic.append(track.artwork)
        if len(mosaic) == MOSAIC_TILES:
            break
    return PlaylistPage(
        playlist=playlist,
        owner_name=display_name(playlist.owner),
        tracks=tracks,
        more=len(items) > PAGE_TRACKS,
        mosaic=mosaic,
    )


def public_playlist(playlist_id: int) -> Playlist:
    playlist = Playlist.objects.filter(pk=playlist_id, is_public=True).select_related("owner")
    found = playlist.first()
    if found is None:
        raise NotFound("Playlist not found.")
    return found


def public_track(track_id: int) -> Track:
    """A playable track with what its page shows; 404 for hidden or unfinished ones."""
    track = (
        Track.objects.playable()
        .for_listing(detail=True)
        .select_related("lyrics")
        .filter(pk=track_id)
        .first()
    )
    if track is None:
        raise NotFound("Track not found.")
    return track
