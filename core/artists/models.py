"""Who manages an artist, who follows whom, what the release feed holds, and the audit of
profile changes. docs/architecture.md#artists has the design."""

from django.conf import settings
from django.db import models


class ArtistManager(models.Model):
    """A user who runs an artist's profile and catalog (and reads its statistics)."""

    artist = models.ForeignKey("core.Artist", on_delete=models.CASCADE, related_name="managers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="managed_artists"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["artist", "user"], name="artist_manager_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} manages {self.artist}"


class ArtistFollow(models.Model):
    # No index of its own: the composite indexes below lead with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="followed_artists",
        db_index=False,
    )
    artist = models.ForeignKey("core.Artist", on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "artist"], name="artist_follow_unique")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="artist_follow_user_idx"),
            # New followers per day of an artist's statistics.
            models.Index(fields=["artist", "created_at"], name="artist_follow_artist_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.artist_id}"


class UserFollow(models.Model):
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="followed_users",
        db_index=False,
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="user_follow_unique"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followed")), name="user_follow_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["follower", "-created_at", "-id"], name="user_follow_recent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.follower} follows {self.followed}"


class FeedEntry(models.Model):
    """A release (a track that became ready, or an album's first ready track) in one
    follower's feed: written once per follower when it happens (fan-out on write), so a
    page of the feed is one index range scan whatever the number of artists followed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    artist = models.ForeignKey("core.Artist", on_delete=models.CASCADE, related_name="+")
    track = models.ForeignKey(
        "core.Track", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    album = models.ForeignKey(
        "core.Album", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "track"],
                name="feed_entry_track_unique",
                condition=models.Q(track__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "album"],
                name="feed_entry_album_unique",
                condition=models.Q(album__isnull=False),
            ),
            models.CheckConstraint(
                condition=models.Q(track__isnull=True) ^ models.Q(album__isnull=True),
                name="feed_entry_track_xor_album",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-released_at", "-id"], name="feed_entry_page_idx"),
            # Unfollowing removes the artist's entries from the listener's feed.
            models.Index(fields=["user", "artist"], name="feed_entry_user_artist_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.track_id or self.album_id} at {self.released_at}"


class ArtistProfileChange(models.Model):
    """The audit of an artist's profile: who changed which fields, when."""

    artist = models.ForeignKey(
        "core.Artist", on_delete=models.CASCADE, related_name="profile_changes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    fields = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["artist", "-created_at"], name="artist_change_recent_idx")]

    def __str__(self) -> str:
        return f"{self.user} changed {', '.join(self.fields)} of {self.artist_id}"
