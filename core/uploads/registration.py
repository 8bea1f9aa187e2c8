"""Registering a filled upload: it becomes a `processing` track, and its processing is queued."""

import logging
import uuid
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.db import transaction
from django.utils import timezone

from core.api.errors import Forbidden, InvalidInput, NotFound, ServiceUnavailable
from core.artists.permissions import can_publish_under, can_start_uploads
from core.catalog.models import Track, TrackStatus
from core.catalog.services import (
    UNKNOWN_ARTIST_NAME,
    album_get_or_create,
    artist_get_or_create,
    genre_get_or_create,
    resolve_artist,
)
from core.processing.jobs import track_process_enqueue
from core.uploads.models import Upload, UploadStatus
from media_pipeline.audio import formats
from media_pipeline.storage import ObjectInfo, ObjectNotFound, StorageError, get_storage

logger = logging.getLogger(__name__)


def _casefold_or_none(value: str | None) -> str | None:
    return value.strip().casefold() if value else None


def _same_registration(
    track: Track,
    *,
    title: str | None,
    artist_name: str | None,
    artist_id: int | None,
    album_title: str | None,
    genre_names: Iterable[str],
    track_number: int | None,
    year: int | None,
) -> bool:
    """Whether a repeated registration asks for what the track already is."""
    placeholders = set(track.placeholder_fields)
    if artist_name is None and artist_id is None:
        same_artist = "artist" in placeholders
    elif "artist" in placeholders:
        same_artist = False
    elif artist_id is not None:
        same_artist = track.artist_id == artist_id
    else:
        same_artist = _casefold_or_none(track.artist.name) == _casefold_or_none(artist_name)
    same_title = (
        "title" in placeholders
        if title is None
        else "title" not in placeholders and track.title == title.strip()
    )
    return (
        same_artist
        and same_title
        and _casefold_or_none(track.album.title if track.album else None)
        == _casefold_or_none(album_title)
        and {genre.name.casefold() for genre in track.genres.all()}
        == {name.strip().casefold() for name in genre_names}
        and track.track_number == track_number
        and track.year == year
    )


def title_from_filename(filename: str) -> str:
    """The upload's file name without its extension: a track's title until tags give one."""
    return PurePosixPath(filename).stem.strip() or filename


def _head_upload(upload: Upload) -> ObjectInfo:
    try:
        return get_storage().head(upload.key)
    except ObjectNotFound:
        raise InvalidInput(
            "No object uploaded: PUT the file to the presigned URL before registering.",
            field="upload_id",
            code="no_object_uploaded",
        ) from None
    except StorageError as exc:
        logger.warning("Heading upload %s failed: %s", upload.key, exc)
        raise ServiceUnavailable("Object storage is unavailable; try again later.") from exc


def _verify_object(upload: Upload, info: ObjectInfo) -> None:
    """The stored object must be exactly what was declared at presign time."""
    if info.size != upload.size:
        raise InvalidInput(
            f"Size mismatch: the uploaded object has {info.size} bytes, "
            f"the upload declared {upload.size}.",
            field="upload_id",
            code="size_mismatch",
        )
    stored_type = formats.essence(info.content_type or "")
    if stored_type != upload.content_type:
        raise InvalidInput(
            f"Content type mismatch: the uploaded object is {stored_type or 'untyped'}, "
            f"the upload declared {upload.content_type}.",
            field="upload_id",
            code="content_type_mismatch",
        )
    stored_checksum = (info.checksum_sha256 or "").lower()
    if upload.sha256 and stored_checksum and stored_checksum != upload.sha256:
        raise InvalidInput(
            "Checksum mismatch: the uploaded object's SHA-256 differs from the declared one.",
            field="upload_id",
            code="checksum_mismatch",
        )


@transaction.atomic
def track_register(
    *,
    user,
    upload_id: uuid.UUID,
    title: str | None = None,
    artist_name: str | None = None,
    artist_id: int | None = None,
    album_title: str | None = None,
    genre_names: Iterable[str] = (),
    track_number: int | None = None,
    year: int | None = None,
) -> tuple[Track, bool]:
    """Turn a filled upload into a `processing` track and queue its processing (sent once the
    transaction commits). Returns (track, created); a repeat of the same registration returns
    the existing track with created False.

    A title or artist left out gets a placeholder (the file name without its extension,
    "Unknown artist") listed in `placeholder_fields`: the file's tags replace placeholders,
    never what the uploader typed."""
    if not can_start_uploads(user):
        raise Forbidden("Only uploaders and artists' managers may upload and register tracks.")
    genre_names = list(genre_names)
    # Row lock: concurrent submits of one upload run one after another, and the later one
    # finds the upload registered instead of creating a second track.
    upload = Upload.objects.select_for_update().filter(pk=upload_id, user=user).first()
    if upload is None or formats.upload_type(upload.content_type) is None:
        # A slot for something else (a listening-history import) never becomes a track.
        raise NotFound("Upload not found.")

    if upload.status == UploadStatus.REGISTERED:
        track = Track.objects.for_listing().filter(pk=upload.track_id).first()
        if track is not None and _same_registration(
            track,
            title=title,
            artist_name=artist_name,
            artist_id=artist_id,
            album_title=album_title,
            genre_names=genre_names,
            track_number=track_number,
            year=year,
        ):
            return track, False
        raise InvalidInput(
            "This upload is already registered.", field="upload_id", code="already_registered"
        )
    if upload.status == UploadStatus.DISCARDED or upload.expires_at <= timezone.now():
        raise InvalidInput(
            "The upload expired; start a new one.", field="upload_id", code="upload_expired"
        )

    info = _head_upload(upload)
    _verify_object(upload, info)

    placeholders = []
    if title is None:
        title = title_from_filename(upload.filename)
        placeholders.append("title")
    if artist_name is None and artist_id is None:
        artist = artist_get_or_create(name=UNKNOWN_ARTIST_NAME)
        placeholders.append("artist")
    else:
        artist = resolve_artist(artist_name=artist_name, artist_id=artist_id)
    if not can_publish_under(user, artist.pk):
        # Rolls back an artist the lookup may have just created.
        raise Forbidden(
            "Without the uploader role, tracks are registered only under an artist you manage "
            "(give artist_id).",
            field="artist",
        )
    album = (
        album_get_or_create(artist=artist, title=album_title, year=year) if album_title else None
    )
    genres = [genre_get_or_create(name=name) for name in genre_names]
    track = Track(
        title=title.strip(),
        artist=artist,
        album=album,
        track_number=track_number,
        year=year,
        storage_key=upload.key,
        size=info.size,
        content_type=upload.content_type,
        checksum_sha256=upload.sha256 or (info.checksum_sha256 or "").lower(),
        status=TrackStatus.PROCESSING,
        placeholder_fields=placeholders,
        uploaded_by=user,
    )
    track.full_clean(validate_unique=False, validate_constraints=False)
    track.save()
    track.genres.set(genres)
    upload.status = UploadStatus.REGISTERED
    upload.track = track
    upload.save(update_fields=["status", "track"])
    track_process_enqueue(track_id=track.pk)
    return track, True
