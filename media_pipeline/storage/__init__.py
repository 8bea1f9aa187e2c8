"""Object storage for audio: `get_storage()` returns the process-wide backend."""

from functools import cache

from django.conf import settings

from media_pipeline.storage.base import (
    InvalidPart,
    MultipartUploadInfo,
    MultipartUploadNotFound,
    ObjectExists,
    ObjectInfo,
    ObjectNotFound,
    PartInfo,
    PresignedRequest,
    Storage,
    StorageError,
    StorageUnavailable,
)

__all__ = [
    "InvalidPart",
    "MultipartUploadInfo",
    "MultipartUploadNotFound",
    "ObjectExists",
    "ObjectInfo",
    "ObjectNotFound",
    "PartInfo",
    "PresignedRequest",
    "Storage",
    "StorageError",
    "StorageUnavailable",
    "get_storage",
]


@cache
def get_storage() -> Storage:
    if settings.STORAGE_BACKEND == "s3":
        from media_pipeline.storage.s3 import S3Storage

        return S3Storage.from_settings()
    from media_pipeline.storage.local import LocalStorage

    return LocalStorage.from_settings()
