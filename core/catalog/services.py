"""Writes on the catalog: names (get-or-create), tags from files, editing and deleting tracks.

Registering an upload as a track: core/uploads/registration.py."""

import logging
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower

from core import bulk
from core.api.errors import Forbidden, InvalidInput, NotFound
from core.catalog.hiding import hide_change
from core.catalog.models import Album, Artist, Genre, Track, TrackStatus
from core.catalog.signals import tracks_hidden
from core.processing.selectors import derived_keys
from core.roles import can_moderate
from media_pipeline.audio.tags import Tags
from media_pipeline.storage import StorageError, get_storage

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


def resolve_artist(*, artist_name: str | None, artist_id: int | None) -> Artist:
    if artist_id is not None:
        artist = Artist.objects.filter(pk=artist_id).first()
        if artist is None:
            raise InvalidInput("No artist with this id.", field="artist_id")
        return artist
    if not artist_name or not artist_name.strip():
        raise InvalidInput("Give artist (a name) or artist_id.", field="artist")
    return artist_get_or_create(name=artist_name)


def _locked_visible_track(*, user, track_id: int) -> Track:
    track = Track.objects.visible_to(user).select_for_update().filter(pk=track_id).first()
    if track is None:
        raise NotFound("Track not found.")
    return track


def can_edit_track(user, track: Track) -> bool:
    """Who edits a track, its preview settings and its lyrics (the one rule for all three):
    moderators, the track's uploader, and the managers of its artist."""
    from core.artists.permissions import manages_artist

    return (
        can_moderate(user)
        or (user.is_authenticated and track.uploaded_by_id == user.pk)
        or manages_artist(user, track.artist_id)
    )


def can_delete_track(user, track: Track) -> bool:
    return user.is_authenticated and (user.is_staff or track.uploaded_by_id == user.pk)


def _check_publish_under(user, artist_id: int) -> None:
    from core.artists.permissions import can_publish_under

    if not (can_moderate(user) or can_publish_under(user, artist_id)):
        # Raised inside the edit's transaction: an artist the lookup created is rolled back.
        raise Forbidden(
            "Without the uploader role, a track moves only to an artist you manage.",
            field="artist",
        )


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
    preview_allowed: bool = UNSET,
    preview_start: float | None = UNSET,
) -> Track:
    """Edit a track's metadata (its uploader, its artist's managers, moderators, staff);
    hiding and unhiding follow core/catalog/hiding.py.
    A new `preview_start` has the preview cut again once the edit commits."""
    # Row lock: two concurrent edits apply one after the other instead of losing one.
    track = _locked_visible_track(user=user, track_id=track_id)
    if not can_edit_track(user, track):
        raise Forbidden(
            "Only the track's uploader, its artist's managers, moderators and staff may edit it."
        )
    hiding = None
    if is_hidden is not UNSET:
        hiding = hide_change(user=user, obj=track, is_hidden=is_hidden)

    changed: list[str] = []
    if title is not UNSET:
        track.title = title.strip()
        changed.append("title")
    if artist_name is not UNSET or artist_id is not UNSET:
        track.artist = resolve_artist(
            artist_name=None if artist_name is UNSET else artist_name,
            artist_id=None if artist_id is UNSET else artist_id,
        )
        _check_publish_under(user, track.artist_id)
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
    edits = (
        ("track_number", track_number),
        ("year", year),
        ("preview_allowed", preview_allowed),
    )
    if preview_start is not UNSET and preview_start != track.preview_start:
        edits += (("preview_start", preview_start),)
        if track.status == TrackStatus.READY:
            _remake_preview_on_commit(track.pk)
    for name, value in edits:
        if value is not UNSET:
            setattr(track, name, value)
            changed.append(name)
    if hiding is not None:
        changed += hiding.apply(track)
    if genre_names is not UNSET:
        track.genres.set([genre_get_or_create(name=name) for name in genre_names])
    if changed or genre_names is not UNSET:
        track.full_clean(validate_unique=False, validate_constraints=False)
        track.save(update_fields=[*changed, "updated_at"])
    if "is_hidden" in changed and track.is_hidden:
        tracks_hidden.send(sender=Track, track_ids=[track.pk], by=user)
    return track


def _remake_preview_on_commit(track_id: int) -> None:
    from core.processing.tasks import remake_preview

    # robust: a queue that cannot be reached leaves the old preview; reprocess can redo it.
    transaction.on_commit(lambda: remake_preview.enqueue(track_id), robust=True)


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


def track_listen_counts_add(deltas: dict[int, int]) -> None:
    """Add to tracks' all-time `listen_count`: `deltas` maps track ids to counted listens to
    add (or take away); deleted tracks are left alone. Set-based (core.bulk)."""
    bulk.add_by_id(Track, ("listen_count",), {pk: (delta,) for pk, delta in deltas.items()})


def track_listen_counts_set(counts: models.QuerySet) -> None:
    """Set every track's `listen_count` from `counts`, a queryset of rows with `pk` (a track's
    id) and `listens`; tracks without a row get 0. Two statements whatever the number of tracks."""
    listens = counts.filter(pk=models.OuterRef("pk")).values("listens")[:1]
    known = counts.values("pk")
    Track.objects.filter(pk__in=known).update(listen_count=models.Subquery(listens))
    Track.objects.exclude(pk__in=known).exclude(listen_count=0).update(listen_count=0)
