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

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"], name="upload_status_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"
