"""Writes on the catalog: registering uploaded tracks, editing and deleting them."""

import logging
import uuid
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from core.api.errors import Forbidden, InvalidInput, NotFound, ServiceUnavailable
from core.catalog.models import Album, Artist, Genre, Track, TrackStatus
from core.processing.jobs import track_process_enqueue
from core.processing.selectors import derived_keys
from core.roles import can_moderate, can_upload
from core.uploads.models import Upload, UploadStatus
from media_pipeline.audio import formats
from media_pipeline.audio.tags import Tags
from media_pipeline.storage import ObjectInfo, ObjectNotFound, StorageError, get_storage

logger = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=models.Model)
UNKNOWN_ARTIST_NAME = "Unknown artist"  # registration's placeholder when the uploader names none


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
"""Marks a keyword argument the caller did not give, as opposed to an explicit None."""


def _get_or_create_ci(
    model: type[ModelT],
    *,
    field: str,
    value: str,
    defaults: dict[str, Any] | None = None,
    **scope: Any,
) -> ModelT:
    """Case-insensitive get-or-create; the unique constraint on Lower(field) settles races."""

    def find() -> ModelT | None:
        return (
            model.objects.alias(_name_ci=Lower(field))
            .filter(_name_ci=Lower(models.Value(value)), **scope)
            .first()
        )

    found = find()
    if found is not None:
        return found
    instance = model(**{field: value}, **scope, **(defaults or {}))
    instance.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # A savepoint: losing the race to a concurrent insert keeps the outer transaction usable.
        with transaction.atomic():
            instance.save()
            return instance
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found


def artist_get_or_create(*, name: str) -> Artist:
    return _get_or_create_ci(Artist, field="name", value=name.strip())


def album_get_or_create(*, artist: Artist, title: str, year: int | None = None) -> Album:
    """The artist's album of that title; a new one takes `year`."""
    return _get_or_create_ci(
        Album, field="title", value=title.strip(), artist=artist, defaults={"year": year}
    )


def genre_get_or_create(*, name: str) -> Genre:
    return _get_or_create_ci(Genre, field="name", value=name.strip())


def track_apply_tags(*, track: Track, found: Tags) -> None:
    """Fill what the uploader left empty or to a placeholder from the file's tags; never
    overwrite what they typed (see `Track.placeholder_fields`). The caller saves the track."""
    placeholders = set(track.placeholder_fields)
    if found.title and ("title" in placeholders or not track.title.strip()):
        track.title = found.title
    if found.artist and ("artist" in placeholders or not track.artist.name.strip()):
        placeholder_artist = track.artist
        track.artist = artist_get_or_create(name=found.artist)
        if track.album is not None and track.album.artist_id == placeholder_artist.pk:
            # The uploader named an album but no artist: it belongs under the tagged artist.
            track.album = album_get_or_create(artist=track.artist, title=track.album.title)
    if track.album_id is None and found.album:
        album_artist = (
            artist_get_or_create(name=found.album_artist) if found.album_artist else track.artist
        )
        track.album = album_get_or_create(artist=album_artist, title=found.album)
        if track.album.year is None and found.year:
            track.album.year = found.year
            track.album.save(update_fields=["year"])
    if track.track_number is None and found.track_number:
        track.track_number = found.track_number
    if track.year is None and found.year:
        track.year = found.year
    if found.genres and not track.genres.exists():
        track.genres.set([genre_get_or_create(name=name) for name in found.genres])


def album_set_artwork_if_missing(*, album_id: int, jpeg: bytes) -> None:
    """Give the album this cover unless it has one."""
    # Lock: two tracks of one album finishing together must not both write its cover.
    album = Album.objects.select_for_update().get(pk=album_id)
    if album.artwork:
        return
    album.artwork.save(f"cover-{album.pk}.jpg", ContentFile(jpeg), save=False)
    album.save(update_fields=["artwork"])


def _resolve_artist(*, artist_name: str | None, artist_id: int | None) -> Artist:
    if artist_id is not None:
        artist = Artist.objects.filter(pk=artist_id).first()
        if artist is None:
            raise InvalidInput("No artist with this id.", field="artist_id")
        return artist
    if not artist_name or not artist_name.strip():
        raise InvalidInput("Give artist (a name) or artist_id.", field="artist")
    return artist_get_or_create(name=artist_name)


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
    if not can_upload(user):
        raise Forbidden("Only uploaders may upload and register tracks.")
    genre_names = list(genre_names)
    # Row lock: concurrent submits of one upload run one after another, and the later one
    # finds the upload registered instead of creating a second track.
    upload = Upload.objects.select_for_update().filter(pk=upload_id, user=user).first()
    if upload is None:
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
        artist = _resolve_artist(artist_name=artist_name, artist_id=artist_id)
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


def _locked_visible_track(*, user, track_id: int) -> Track:
    track = Track.objects.visible_to(user).select_for_update().filter(pk=track_id).first()
    if track is None:
        raise NotFound("Track not found.")
    return track


def can_edit_track(user, track: Track) -> bool:
    return can_moderate(user) or (user.is_authenticated and track.uploaded_by_id == user.pk)


def can_delete_track(user, track: Track) -> bool:
    return user.is_authenticated and (user.is_staff or track.uploaded_by_id == user.pk)


@transaction.atomic
def track_update(
    *,
    user,
    track_id: int,
    title: str = UNSET,
    artist_name: str = UNSET,
    artist_id: int = UNSET,
    album_title: str | None = UNSET,
    genre_names: Iterable[str] = UNSET,
    track_number: int | None = UNSET,
    year: int | None = UNSET,
    is_hidden: bool = UNSET,
) -> Track:
    """Edit a track's metadata (its uploader, moderators, staff); hiding is for moderators."""
    # Row lock: two concurrent edits apply one after the other instead of losing one.
    track = _locked_visible_track(user=user, track_id=track_id)
    if not can_edit_track(user, track):
        raise Forbidden("Only the track's uploader, moderators and staff may edit it.")
    if is_hidden is not UNSET and not can_moderate(user):
        raise Forbidden("Only moderators may hide or unhide tracks.")

    changed: list[str] = []
    if title is not UNSET:
        track.title = title.strip()
        changed.append("title")
    if artist_name is not UNSET or artist_id is not UNSET:
        track.artist = _resolve_artist(
            artist_name=None if artist_name is UNSET else artist_name,
            artist_id=None if artist_id is UNSET else artist_id,
        )
        changed.append("artist")
    typed = [name for name in ("title", "artist") if name in changed]
    if typed and set(typed) & set(track.placeholder_fields):
        # Typed now: a later re-run of processing must not replace it with a tag.
        track.placeholder_fields = [f for f in track.placeholder_fields if f not in typed]
        changed.append("placeholder_fields")
    if album_title is not UNSET:
        new_year = track.year if year is UNSET else year
        track.album = (
            album_get_or_create(artist=track.artist, title=album_title, year=new_year)
            if album_title
            else None
        )
        changed.append("album")
    for name, value in (("track_number", track_number), ("year", year), ("is_hidden", is_hidden)):
        if value is not UNSET:
            setattr(track, name, value)
            changed.append(name)
    if genre_names is not UNSET:
        track.genres.set([genre_get_or_create(name=name) for name in genre_names])
    if changed or genre_names is not UNSET:
        track.full_clean(validate_unique=False, validate_constraints=False)
        track.save(update_fields=[*changed, "updated_at"])
    return track


def _delete_stored_objects(keys: list[str]) -> None:
    storage = get_storage()
    for key in keys:
        try:
            storage.delete(key)
        except StorageError:
            logger.exception("Could not delete stored object %s of a deleted track", key)


def schedule_stored_object_deletion(keys: Iterable[str]) -> None:
    """Delete the tracks' stored objects once the current transaction commits; a failure is
    logged, never raised, as the tracks are gone by then."""
    keys = list(keys)
    if keys:
        transaction.on_commit(lambda: _delete_stored_objects(keys), robust=True)


@transaction.atomic
def track_delete(*, user, track_id: int) -> None:
    """Delete a track (its uploader or staff); its stored object and what processing made of it
    (variants, thumbnails) go once the delete commits."""
    track = _locked_visible_track(user=user, track_id=track_id)
    if not can_delete_track(user, track):
        raise Forbidden("Only the track's uploader and staff may delete it.")
    keys = [track.storage_key, *derived_keys([track.pk])]
    track.delete()
    schedule_stored_object_deletion(keys)
