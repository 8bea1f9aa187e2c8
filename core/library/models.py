from django.conf import settings
from django.db import models


class Favorite(models.Model):
    # No index of its own: the composite indexes below lead with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites", db_index=False
    )
    track = models.ForeignKey("core.Track", on_delete=models.CASCADE, related_name="favorites")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "track"], name="favorite_unique_per_user")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="favorite_user_recent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user} ♥ {self.track_id}"


class Play(models.Model):
    """One entry of a listener's history: a stream started, counted once enough was played."""

    # No index of its own: the composite indexes below lead with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plays", db_index=False
    )
    track = models.ForeignKey("core.Track", on_delete=models.CASCADE, related_name="plays")
    started_at = models.DateTimeField(db_index=False)
    client = models.CharField(max_length=200, blank=True)
    played_seconds = models.FloatField(default=0)
    counted = models.BooleanField(default=False)
    counted_at = models.DateTimeField(null=True, blank=True)
    rolled_up_ms = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="Milliseconds of this listen the insights rollups hold; null until counted there",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "play history entry"
        verbose_name_plural = "play history"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(played_seconds__gte=0), name="play_played_seconds_non_negative"
            )
        ]
        indexes = [
            models.Index(fields=["user", "-started_at", "-id"], name="play_user_recent_idx"),
            models.Index(
                fields=["user", "track", "-started_at"], name="play_user_track_recent_idx"
            ),
            models.Index(
                fields=["track"], name="play_counted_track_idx", condition=models.Q(counted=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ▶ {self.track_id} at {self.started_at:%Y-%m-%d %H:%M}"


class ListenSource(models.TextChoices):
    """Where a history entry came from; `tonearm` is a stream here (a Play)."""

    TONEARM = "tonearm", "Tonearm"
    SPOTIFY = "spotify", "Spotify"
    LASTFM = "lastfm", "Last.fm"
    LISTENBRAINZ = "listenbrainz", "ListenBrainz"
    SCROBBLE = "scrobble", "Scrobble"


class ExternalListen(models.Model):
    """A listen heard elsewhere: imported from another service's export or scrobbled by another
    player. Matched to a catalog track when one is found; kept by name either way, so a
    deleted track leaves the listen (unmatched) in place. Never changed once stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_listens",
        db_index=False,
    )
    source = models.CharField(max_length=20, choices=ListenSource.choices)
    listened_at = models.DateTimeField(help_text="When the listen started")
    artist = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    album = models.CharField(max_length=500, blank=True)
    # The normalised names (core.library.matching): the identity of a listen, and its catalog key.
    artist_key = models.CharField(max_length=200)
    title_key = models.CharField(max_length=200)
    album_key = models.CharField(max_length=200, blank=True)
    track = models.ForeignKey(
        "core.Track", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    matched = models.BooleanField(
        default=False, help_text="Matched to a catalog track when stored (which may since be gone)"
    )
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    played_ms = models.PositiveIntegerField(
        null=True, blank=True, help_text="What the source says was played; null for scrobbles"
    )
    counted = models.BooleanField()

    class Meta:
        ordering = ["-listened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source", "listened_at", "artist_key", "title_key"],
                name="external_listen_unique",
            )
        ]
        indexes = [
            models.Index(fields=["user", "-listened_at", "-id"], name="external_listen_recent_idx"),
            models.Index(fields=["track"], name="external_listen_track_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ▶ {self.artist} — {self.title} ({self.source})"


class HistoryEntry(models.Model):
    """One's history as one list: streams here (Play) and listens heard elsewhere
    (ExternalListen), read through a database view (core migration `library_history_view`)
    so that the history's cursor pages over both at once. Read-only."""

    entry_id = models.BigIntegerField(
        primary_key=True, help_text="2 x the play's id, or 2 x the external listen's id + 1"
    )
    play = models.ForeignKey(Play, on_delete=models.DO_NOTHING, null=True, related_name="+")
    external_listen = models.ForeignKey(
        ExternalListen, on_delete=models.DO_NOTHING, null=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+"
    )
    track = models.ForeignKey(
        "core.Track", on_delete=models.DO_NOTHING, null=True, related_name="+"
    )
    started_at = models.DateTimeField()
    client = models.CharField(max_length=200)
    played_seconds = models.FloatField()
    counted = models.BooleanField()
    source = models.CharField(max_length=20, choices=ListenSource.choices)
    artist = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    album = models.CharField(max_length=500)

    class Meta:
        managed = False
        db_table = "core_history_entry"
        ordering = ["-started_at", "-entry_id"]

    def __str__(self) -> str:
        return f"{self.user_id} ▶ {self.track_id or self.title} ({self.source})"


class AlbumFavorite(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="album_favorites",
        db_index=False,
    )
    album = models.ForeignKey("core.Album", on_delete=models.CASCADE, related_name="favorites")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "album"], name="album_favorite_unique")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="album_favorite_recent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user} ♥ album {self.album_id}"


class ArtistFavorite(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="artist_favorites",
        db_index=False,
    )
    artist = models.ForeignKey("core.Artist", on_delete=models.CASCADE, related_name="favorites")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "artist"], name="artist_favorite_unique")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="artist_favorite_recent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user} ♥ artist {self.artist_id}"


class PlayQueue(models.Model):
    """A listener's saved play queue, so that another device resumes where this one stopped."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="play_queue"
    )
    track_ids = models.JSONField(default=list, blank=True)
    current_track_id = models.BigIntegerField(null=True, blank=True)
    position_ms = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.CharField(max_length=200, blank=True, help_text="The client that saved it")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(position_ms__gte=0), name="play_queue_position_non_negative"
            )
        ]

    def __str__(self) -> str:
        return f"play queue of {self.user}"
