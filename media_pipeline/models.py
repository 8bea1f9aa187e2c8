import uuid

from django.conf import settings
from django.db import models


class UploadStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    REGISTERED = "registered", "Registered"
    DISCARDED = "discarded", "Discarded"


class Upload(models.Model):
    """A presigned upload slot: the server-made key an uploader may fill, then register."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads"
    )
    key = models.CharField(max_length=500, unique=True)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=20, choices=UploadStatus.choices, default=UploadStatus.PENDING
    )
    track = models.OneToOneField(
        "core.Track", on_delete=models.SET_NULL, null=True, blank=True, related_name="upload"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    multipart_id = models.CharField(
        max_length=1024, blank=True, help_text="The store's multipart upload id; empty for one PUT"
    )
    part_size = models.BigIntegerField(
        null=True, blank=True, help_text="Bytes per part (the last may be smaller)"
    )
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the parts were assembled into the object"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"], name="upload_status_expiry_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(multipart_id="") | models.Q(part_size__gte=1),
                name="upload_multipart_has_part_size",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def is_multipart(self) -> bool:
        return bool(self.multipart_id)


# --- Media pipeline: what processing learnt about a track, its variants, and its job ---


class TrackMedia(models.Model):
    """What the pipeline found in a track's file: technical facts, loudness, waveform, lyrics."""

    track = models.OneToOneField(
        "core.Track", on_delete=models.CASCADE, primary_key=True, related_name="media"
    )
    container = models.CharField(max_length=100, blank=True)
    codec = models.CharField(max_length=50, blank=True)
    bitrate = models.PositiveIntegerField(null=True, blank=True, help_text="Bits per second")
    sample_rate = models.PositiveIntegerField(null=True, blank=True, help_text="Hz")
    channels = models.PositiveSmallIntegerField(null=True, blank=True)
    declared_content_type = models.CharField(
        max_length=100, blank=True, help_text="The type given at upload, before any correction"
    )
    loudness_lufs = models.FloatField(null=True, blank=True, help_text="Integrated, EBU R128")
    true_peak_db = models.FloatField(null=True, blank=True, help_text="dBTP")
    replay_gain_db = models.FloatField(
        null=True, blank=True, help_text="ReplayGain 2.0: gain to reach -18 LUFS"
    )
    waveform = models.JSONField(default=list, blank=True, help_text="Peaks from 0 to 1")
    lyrics = models.TextField(blank=True)
    lyrics_synced = models.JSONField(
        default=list, blank=True, help_text='[{"time": seconds, "text": "..."}]'
    )
    artwork = models.JSONField(
        default=dict, blank=True, help_text='Storage keys of thumbnails by size: {"256": key}'
    )
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "track media"
        verbose_name_plural = "track media"

    def __str__(self) -> str:
        return f"Media of track {self.track_id}"


class VariantQuality(models.TextChoices):
    NORMAL = "normal", "Normal (about 128 kbps)"
    LOW = "low", "Low (about 64 kbps)"


class TrackVariant(models.Model):
    """A transcoded copy of a track's audio, stored beside the original."""

    track = models.ForeignKey("core.Track", on_delete=models.CASCADE, related_name="variants")
    quality = models.CharField(max_length=20, choices=VariantQuality.choices)
    key = models.CharField(max_length=500, unique=True)
    codec = models.CharField(max_length=50)
    content_type = models.CharField(max_length=100)
    bitrate = models.PositiveIntegerField(null=True, blank=True, help_text="Bits per second")
    size = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["track", "quality"]
        constraints = [
            models.UniqueConstraint(fields=["track", "quality"], name="variant_unique_per_quality"),
            models.CheckConstraint(
                condition=models.Q(size__gte=0), name="variant_size_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quality} variant of track {self.track_id}"


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ProcessingJob(models.Model):
    """The processing run of a track: one row per track, reused by every re-run.

    `token` names the run allowed to write results; enqueueing again replaces it, so a late or
    duplicate delivery of an older run does nothing.
    """

    track = models.OneToOneField(
        "core.Track", on_delete=models.CASCADE, primary_key=True, related_name="processing_job"
    )
    state = models.CharField(max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    token = models.UUIDField(default=uuid.uuid4)
    task_id = models.CharField(max_length=64, blank=True, help_text="The task backend's result id")
    attempts = models.PositiveSmallIntegerField(default=0)
    enqueued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-enqueued_at"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat_idx")]

    def __str__(self) -> str:
        return f"Processing of track {self.track_id} ({self.state})"


# --- Bulk import: which files `manage.py import_audio` brought in ---


class ImportedFile(models.Model):
    """A file brought in by `manage.py import_audio`, known by its content.

    The unique SHA-256 makes a re-run skip what was imported and settles two workers racing
    on identical files. The row outlives its track, so a track deleted on purpose stays deleted.
    """

    sha256 = models.CharField(max_length=64, unique=True)
    path = models.CharField(max_length=1024, help_text="Where the file was, relative to the folder")
    size = models.BigIntegerField()
    track = models.ForeignKey(
        "core.Track",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imported_files",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.path


class ImportFailure(models.Model):
    """A file `manage.py import_audio` could not import because of its content (corrupt, not
    audio, empty). Known by its SHA-256, so a re-run reports it as failed before instead of
    failing it again; the same bytes fixed or renamed are the same failure, fixed bytes new."""

    sha256 = models.CharField(max_length=64, unique=True)
    path = models.CharField(max_length=1024, help_text="Where the file was, relative to the folder")
    reason = models.CharField(max_length=500)
    failed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return self.path
