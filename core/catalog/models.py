from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from core.catalog.querysets import TrackQuerySet
from core.text import validate_name, validate_text


class Genre(models.Model):
    name = models.CharField(max_length=100, validators=[validate_name])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="genre_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Artist(models.Model):
    name = models.CharField(max_length=200, validators=[validate_name])
    # The profile its managers edit (core/artists): text, links on the allowlist, an image.
    bio = models.TextField(max_length=5000, blank=True, validators=[validate_text])
    links = models.JSONField(default=list, blank=True, help_text="https URLs (allowlisted hosts)")
    image_files = models.JSONField(
        default=dict, blank=True, help_text='Stored WebP names by side in pixels: {"256": name}'
    )
    follower_count = models.PositiveIntegerField(
        default=0, help_text="Followers, kept by core/artists' follow services"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="artist_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


def album_artwork_path(album: "Album", filename: str) -> str:
    return f"artwork/albums/{album.pk}/{filename}"


class HiddenRole(models.TextChoices):
    """Who hid a track or an album: a hide is lifted only by the same kind of hand or a
    stronger one (core/catalog/hiding.py)."""

    MANAGER = "manager", "The artist's manager"
    MODERATOR = "moderator", "A moderator"
    STAFF = "staff", "Staff"


def _hidden_by_field() -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who hid it (null once their account is deleted)",
    )


def _hidden_role_field() -> models.CharField:
    return models.CharField(
        max_length=20,
        choices=HiddenRole.choices,
        blank=True,
        help_text="Whose hide it is; a hidden row without one counts as a moderator's",
    )


class Album(models.Model):
    title = models.CharField(max_length=200, validators=[validate_name])
    artist = models.ForeignKey(Artist, on_delete=models.PROTECT, related_name="albums")
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    artwork = models.ImageField(upload_to=album_artwork_path, blank=True)
    rating_count = models.PositiveIntegerField(
        default=0, help_text="Listeners' ratings, kept by core/ratings' services"
    )
    rating_total = models.PositiveIntegerField(default=0, help_text="Sum of their stars")
    is_hidden = models.BooleanField(
        default=False, help_text="Left out of listings, pages and feeds (its tracks keep theirs)"
    )
    hidden_role = _hidden_role_field()
    hidden_by = _hidden_by_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["artist__name", "title"]
        constraints = [
            models.UniqueConstraint(
                "artist", Lower("title"), name="album_title_unique_per_artist_ci"
            )
        ]
        indexes = [
            # Album lists in these orders read the index and stop at the page (Subsonic's
            # getAlbumList2 newest and alphabeticalByName).
            models.Index(fields=["-created_at", "-id"], name="album_recent_idx"),
            models.Index(fields=["title", "id"], name="album_title_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.artist})"


class TrackStatus(models.TextChoices):
    PENDING_UPLOAD = "pending_upload", "Pending upload"
    UPLOADED = "uploaded", "Uploaded"
    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Track(models.Model):
    title = models.CharField(max_length=300, validators=[validate_name])
    artist = models.ForeignKey(Artist, on_delete=models.PROTECT, related_name="tracks")
    album = models.ForeignKey(
        Album, on_delete=models.SET_NULL, null=True, blank=True, related_name="tracks"
    )
    genres = models.ManyToManyField(Genre, blank=True, related_name="tracks")
    track_number = models.PositiveSmallIntegerField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True, help_text="Seconds")

    storage_key = models.CharField(max_length=500, unique=True)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100)
    checksum_sha256 = models.CharField(max_length=64, blank=True)

    status = models.CharField(
        max_length=20, choices=TrackStatus.choices, default=TrackStatus.PENDING_UPLOAD
    )
    failure_reason = models.TextField(blank=True)
    placeholder_fields = models.JSONField(
        default=list,
        blank=True,
        help_text='Fields registration filled in because the uploader left them out ("title", '
        '"artist"); the file\'s tags may replace these, never what the uploader typed',
    )
    is_hidden = models.BooleanField(
        default=False, help_text="Hidden from listeners (by a moderator or the artist's managers)"
    )
    hidden_role = _hidden_role_field()
    hidden_by = _hidden_by_field()
    preview_allowed = models.BooleanField(
        default=True, help_text="Anonymous visitors may hear a 30-second preview"
    )
    preview_start = models.FloatField(
        null=True,
        blank=True,
        help_text="Seconds where the preview starts; empty: the loudest 30 seconds",
    )
    listen_count = models.PositiveIntegerField(
        default=0, help_text="All-time counted listens, kept by the insights rollups"
    )
    rating_count = models.PositiveIntegerField(
        default=0, help_text="Listeners' ratings, kept by core/ratings' services"
    )
    rating_total = models.PositiveIntegerField(default=0, help_text="Sum of their stars")
    # Null once the uploader deleted their account: the track stays in the catalog.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploaded_tracks",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("upload_track", "Can upload and register tracks"),
            ("moderate_track", "Can hide tracks and see hidden or unfinished ones"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gte=0), name="track_size_non_negative"),
            models.CheckConstraint(
                condition=models.Q(duration__isnull=True) | models.Q(duration__gte=0),
                name="track_duration_non_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(preview_start__isnull=True) | models.Q(preview_start__gte=0),
                name="track_preview_start_non_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "is_hidden", "-created_at"], name="track_listing_idx"),
            models.Index(Lower("title"), name="track_title_ci_idx"),
            # The default order: a listener's list (playable or their own) reads it in order
            # and stops at the page; the trigram indexes for search are PostgreSQL-only (0004).
            models.Index(fields=["-created_at", "-id"], name="track_recent_idx"),
            # The most played playable tracks (a radio's filler, popular picks): read in order,
            # stopping after the few wanted, instead of sorting every playable track.
            models.Index(
                fields=["-listen_count", "-id"],
                condition=models.Q(status="ready", is_hidden=False),
                name="track_popular_playable_idx",
            ),
            # The last change of a playable track (the artist index's lastModified, Subsonic):
            # one index entry read instead of every playable track.
            models.Index(
                fields=["-updated_at"],
                condition=models.Q(status="ready", is_hidden=False),
                name="track_updated_playable_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.artist}"


class AlbumPlayable(models.Model):
    """Totals of an album's playable tracks (ready, not hidden), kept by database triggers on
    core_track whatever route changes a track (migration 0040): lists of albums page these
    rows instead of totalling every album's tracks first. Listen counts are not kept here: a
    counted listen would then lock its album's row too."""

    album = models.OneToOneField(
        Album, on_delete=models.CASCADE, primary_key=True, related_name="playable_totals"
    )
    track_count = models.IntegerField(default=0)
    duration = models.FloatField(default=0, help_text="Seconds")

    def __str__(self) -> str:
        return f"album {self.album_id}: {self.track_count} playable"


class ArtistPlayable(models.Model):
    """An artist's playable tracks and the albums (of that artist) holding one, kept by the
    same triggers (migration 0040)."""

    artist = models.OneToOneField(
        Artist, on_delete=models.CASCADE, primary_key=True, related_name="playable_totals"
    )
    track_count = models.IntegerField(default=0)
    album_count = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"artist {self.artist_id}: {self.track_count} playable"


class ArtistIndexChange(models.Model):
    """A change of the artist index (an artist's name, whether it has a playable track, its
    album count), written by triggers on core_artist and core_artistplayable on PostgreSQL
    (migration 0046), so that the index kept per process (core/subsonic/artist_index.py) reads
    only what changed. No artist: any artist may have changed (a table emptied, or older rows
    pruned, up to the transaction `xid`)."""

    artist_id = models.BigIntegerField(null=True, help_text="Not a key: deletes are logged too")
    xid = models.BigIntegerField(help_text="The writing transaction (pg_current_xact_id)")
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["xid"], name="artist_index_change_xid_idx")]

    def __str__(self) -> str:
        return f"artist {self.artist_id} changed in transaction {self.xid}"
