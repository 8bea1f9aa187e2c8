"""Reads of playlists, their items and share links, with visibility rules and joins built in.

Listeners see the items whose track is playable; indexes (`position` in payloads, and the
indexes that add/reorder take) count those items only. An item whose track is hidden keeps its
sort key, so it reappears in place if the track is shown again. Playability is read from the
item's own `playable` flag (kept in step with its track by a database trigger,
core/migrations/0015), so walking to an index scans the partial index
playlist_item_playable_idx and never reads core_track.
"""

from django.db import models
from django.utils import timezone

from core.api.errors import Forbidden, NotFound
from core.catalog.models import Track
from core.playlists.models import Playlist, PlaylistItem, PlaylistShare


def _visible_filter(user) -> models.Q:
    if user is not None and user.is_authenticated:
        return models.Q(is_public=True) | models.Q(owner=user)
    return models.Q(is_public=True)


def playlist_list_own(*, user) -> models.QuerySet[Playlist]:
    """One's own playlists, newest first."""
    return (
        Playlist.objects.filter(owner=user).select_related("owner").order_by("-created_at", "-id")
    )


def playlist_list_public(*, search: str = "") -> models.QuerySet[Playlist]:
    """Public playlists, newest first, optionally those whose name contains `search`."""
    playlists = Playlist.objects.filter(is_public=True)
    search = search.strip()
    if search:
        playlists = playlists.filter(name__icontains=search)
    return playlists.select_related("owner").order_by("-created_at", "-id")


def playlist_get_visible(*, user, playlist_id: int) -> Playlist:
    """The playlist if `user` owns it or it is public; 404 otherwise, staff included."""
    playlist = (
        Playlist.objects.filter(_visible_filter(user), pk=playlist_id)
        .select_related("owner")
        .first()
    )
    if playlist is None:
        raise NotFound("Playlist not found.")
    return playlist


def playlist_get_owned(*, user, playlist_id: int) -> Playlist:
    """The playlist for an owner's change: 404 if `user` cannot see it, 403 if not theirs."""
    playlist = playlist_get_visible(user=user, playlist_id=playlist_id)
    if playlist.owner_id != user.pk:
        raise Forbidden("Only the playlist's owner may change it.")
    return playlist


def playable_items(*, playlist_id: int) -> models.QuerySet[PlaylistItem]:
    """The items listeners see, in order: those whose track is playable."""
    return PlaylistItem.objects.filter(playlist_id=playlist_id, playable=True).order_by("position")


def playlist_items_for_listing(*, playlist_id: int, user) -> models.QuerySet[PlaylistItem]:
    """Playable items in order, each track loaded as a listing payload for `user`."""
    tracks = Track.objects.for_listing().with_favorite_flag(user)
    return playable_items(playlist_id=playlist_id).prefetch_related(
        models.Prefetch("track", queryset=tracks)
    )


def share_list(*, playlist: Playlist) -> models.QuerySet[PlaylistShare]:
    """A playlist's share links that have not been revoked, newest first (expired ones too)."""
    return PlaylistShare.objects.filter(playlist=playlist, revoked_at__isnull=True).order_by(
        "-created_at", "-id"
    )


def share_get_live(*, token: str) -> PlaylistShare:
    """The share link for `token` with its playlist, if neither revoked nor expired."""
    now = timezone.now()
    share = (
        PlaylistShare.objects.filter(token=token, revoked_at__isnull=True)
        .filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))
        .select_related("playlist", "playlist__owner")
        .first()
    )
    if share is None:
        raise NotFound("Share link not found, revoked or expired.")
    return share
