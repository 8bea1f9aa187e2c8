"""The roles of Tonearm, as Django groups and permissions.

Listeners are every user. Uploaders may upload and register tracks (staff may too).
Moderators are staff members of the Moderators group: they edit and hide tracks and
see users, histories and playlists in the admin, but cannot delete users.
"""

UPLOADERS = "Uploaders"
MODERATORS = "Moderators"

UPLOADER_PERMISSIONS = ["core.upload_track"]
MODERATOR_PERMISSIONS = [
    "core.view_track",
    "core.change_track",
    "core.moderate_track",
    "core.view_artist",
    "core.change_artist",
    "core.view_album",
    "core.change_album",
    "core.view_genre",
    "core.change_genre",
    "core.view_user",
    "core.view_play",
    "core.view_favorite",
    "core.view_playlist",
    "core.view_playlistitem",
    "core.view_playlistshare",
    "media_pipeline.view_upload",
]


def can_upload(user) -> bool:
    return bool(
        user and user.is_authenticated and (user.is_staff or user.has_perm("core.upload_track"))
    )


def can_moderate(user) -> bool:
    """Moderators and staff see hidden and unfinished tracks and may hide them."""
    return bool(
        user and user.is_authenticated and (user.is_staff or user.has_perm("core.moderate_track"))
    )
