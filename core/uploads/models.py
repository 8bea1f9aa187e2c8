"""Upload slots and bulk-imported files: how audio reaches the store before it is a track."""

import uuid

from django.conf import settings
from django.db import models

from core.catalog.models import Track


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
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="upload"
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
        # Moved from the media_pipeline app; the table kept its name and its rows.
        db_table = "media_pipeline_upload"
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
        Track,
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
        db_table = "media_pipeline_importedfile"
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
        db_table = "media_pipeline_importfailure"
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return self.path
