"""Who may act for an artist: its managers, next to the roles of core/roles.py.

Other rooms (uploads, catalog) ask these questions instead of reading the managers' table.
An uploader keeps every right of the role; a manager without it acts only for the artists
they manage."""

from rest_framework import permissions
from rest_framework.request import Request

from core.artists.models import ArtistManager
from core.roles import can_moderate, can_upload


def managed_artist_ids(user) -> frozenset[int]:
    """The artists `user` manages (none for anonymous or inactive users); one query."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    return frozenset(ArtistManager.objects.filter(user=user).values_list("artist_id", flat=True))


def manages_artist(user, artist_id: int | None) -> bool:
    if artist_id is None or not (user and user.is_authenticated and user.is_active):
        return False
    return ArtistManager.objects.filter(user=user, artist_id=artist_id).exists()


def can_manage_artist(user, artist_id: int) -> bool:
    """Managers of the artist, moderators and staff: who edits its profile and albums and
    reads its statistics."""
    return can_moderate(user) or manages_artist(user, artist_id)


def can_start_uploads(user) -> bool:
    """Uploaders, and managers of an artist (who then register only under their artists)."""
    return can_upload(user) or _manages_any(user)


def can_publish_under(user, artist_id: int | None) -> bool:
    """Whether `user` may register or move a track under this artist: uploaders (and staff)
    under any, managers under the artists they manage."""
    return can_upload(user) or manages_artist(user, artist_id)


def _manages_any(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return ArtistManager.objects.filter(user=user).exists()


class MayUpload(permissions.BasePermission):
    """Uploaders and staff, and managers of an artist (for their artists only)."""

    message = "Only uploaders and artists' managers may upload and register tracks."

    def has_permission(self, request: Request, view) -> bool:
        return can_start_uploads(request.user)
