import secrets

from django.conf import settings
from django.db import models

from core.text import validate_name, validate_text


def new_snapshot_id() -> str:
    return secrets.token_urlsafe(12)


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


class Playlist(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="playlists"
    )
    name = models.CharField(max_length=200, validators=[validate_name])
    description = models.TextField(max_length=2000, blank=True, validators=[validate_text])
    is_public = models.BooleanField(default=False)
    snapshot_id = models.CharField(max_length=32, default=new_snapshot_id)
    items_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="playlist_owner_recent_idx"),
            models.Index(
                fields=["-created_at"],
                name="playlist_public_recent_idx",
                condition=models.Q(is_public=True),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlaylistItem(models.Model):
    """A track at a place in a playlist; `position` is a sparse sort key, not an index."""

    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="items")
    track = models.ForeignKey("core.Track", on_delete=models.CASCADE, related_name="playlist_items")
    position = models.BigIntegerField()
    # The track's playability (ready and not hidden), copied here so that indexes among the
    # playable items are read from playlist_item_playable_idx without touching core_track.
    # No default: save() fills it from the track, bulk inserts must set it (a NULL fails).
    playable = models.BooleanField(default=None)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["playlist", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["playlist", "position"], name="playlist_item_position_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["playlist", "position"],
                include=["id"],
                condition=models.Q(playable=True),
                name="playlist_item_playable_idx",
            )
        ]

    def __str__(self) -> str:
        # No ordering key: it means nothing to people (the admin numbers items from 1).
        return f"track {self.track_id} in playlist {self.playlist_id}"

    def save(self, *args, **kwargs) -> None:
        if self.playable is None:
            from core.catalog.models import Track

            self.playable = Track.objects.playable().filter(pk=self.track_id).exists()
        super().save(*args, **kwargs)


class PlaylistShare(models.Model):
    """An unlisted link to a playlist, live until revoked or expired."""

    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="shares")
    token = models.CharField(max_length=64, unique=True, default=new_share_token)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    visit_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"share of {self.playlist_id}"
