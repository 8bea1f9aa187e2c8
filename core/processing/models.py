"""What processing learnt about a track, its streaming variants, and its processing job."""

import uuid

from django.db import models

from core.catalog.models import Track


class TrackMedia(models.Model):
    """What the pipeline found in a track's file: technical facts, loudness, waveform, lyrics."""

    track = models.OneToOneField(
        Track, on_delete=models.CASCADE, primary_key=True, related_name="media"
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
    preview_key = models.CharField(
        max_length=500, blank=True, help_text="Storage key of the 30-second preview"
    )
    preview_offset = models.FloatField(
        null=True, blank=True, help_text="Seconds into the track where the preview starts"
    )
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Moved from the media_pipeline app; the table kept its name and its rows.
        db_table = "media_pipeline_trackmedia"
        verbose_name = "track media"
        verbose_name_plural = "track media"

    def __str__(self) -> str:
        return f"Media of track {self.track_id}"


class VariantQuality(models.TextChoices):
    NORMAL = "normal", "Normal (about 128 kbps)"
    LOW = "low", "Low (about 64 kbps)"


class TrackVariant(models.Model):
    """A transcoded copy of a track's audio, stored beside the original."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="variants")
    quality = models.CharField(max_length=20, choices=VariantQuality.choices)
    key = models.CharField(max_length=500, unique=True)
    codec = models.CharField(max_length=50)
    content_type = models.CharField(max_length=100)
    bitrate = models.PositiveIntegerField(null=True, blank=True, help_text="Bits per second")
    size = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "media_pipeline_trackvariant"
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
        Track, on_delete=models.CASCADE, primary_key=True, related_name="processing_job"
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
        db_table = "media_pipeline_processingjob"
        ordering = ["-enqueued_at"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="job_state_heartbeat_idx")]

    def __str__(self) -> str:
        return f"Processing of track {self.track_id} ({self.state})"
