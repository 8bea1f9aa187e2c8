"""Writes of the artists room: managers, the profile, albums, follows of artists and people.

The release feed's writes (fan-out to followers): feed.py."""

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction

from core.accounts.avatars import AVATAR_EXTENSION, image_reencode
from core.accounts.usernames import username_key
from core.api.errors import Conflict, InvalidInput, NotFound
from core.artists import feed
from core.artists.links import LinkRejected, clean_links
from core.artists.models import ArtistFollow, ArtistManager, ArtistProfileChange, UserFollow
from core.artists.permissions import can_manage_artist
from core.catalog.hiding import hide_change
from core.catalog.models import Album, Artist, Track
from core.roles import can_moderate

KEEP: Any = object()
"""Marks a field the caller did not give."""

IMAGE_SIDES = (64, 256, 512)


def _user_by_name(username: str):
    user = (
        get_user_model()
        .objects.filter(username_key=username_key(username), is_active=True)
        .only("pk", "username", "stats_public")
        .first()
    )
    if user is None:
        raise NotFound("User not found.")
    return user


def managed_artist(*, user, artist_id: int, lock: bool = False) -> Artist:
    """The artist if `user` manages it (or moderates); NotFound otherwise, as if it did not
    exist for them, so another artist's managers learn nothing."""
    artists = Artist.objects.filter(pk=artist_id)
    if lock:
        artists = artists.select_for_update()
    artist = artists.first()
    if artist is None or not can_manage_artist(user, artist.pk):
        raise NotFound("Artist not found.")
    return artist


@transaction.atomic
def manager_add(*, by, artist_id: int, username: str) -> tuple[ArtistManager, bool]:
    """Make `username` a manager of the artist (by a manager, a moderator or staff); returns
    (the manager row, created). Adding an existing manager again changes nothing."""
    artist = managed_artist(user=by, artist_id=artist_id)
    user = _user_by_name(username)
    try:
        with transaction.atomic():
            return ArtistManager.objects.create(artist=artist, user=user, added_by=by), True
    except IntegrityError:
        # Already a manager, or added concurrently: the unique constraint kept one row.
        return ArtistManager.objects.get(artist=artist, user=user), False


@transaction.atomic
def manager_remove(*, by, artist_id: int, username: str) -> None:
    """Remove a manager. A manager may remove others or themselves, but the last manager may
    not remove themselves; moderators and staff may remove anyone."""
    # Lock the artist: two last managers removing each other at once must not leave none.
    artist = managed_artist(user=by, artist_id=artist_id, lock=True)
    user = _user_by_name(username)
    rows = ArtistManager.objects.filter(artist=artist)
    target = rows.filter(user=user).first()
    if target is None:
        raise NotFound("This user does not manage this artist.")
    if not can_moderate(by) and rows.count() == 1:
        raise Conflict(
            "The last manager cannot be removed; add another manager first.",
            code="last_manager",
        )
    target.delete()


def _clean_links(links: list[str]) -> list[str]:
    try:
        return clean_links(links)
    except LinkRejected as error:
        raise InvalidInput(error.message, field="links", code=error.code) from None


def _store_image(artist: Artist, upload) -> dict[str, str]:
    encoded = image_reencode(upload, field="image", sides=IMAGE_SIDES)
    stem = f"artists/{artist.pk}/{uuid.uuid4().hex}"
    return {
        str(side): default_storage.save(f"{stem}-{side}.{AVATAR_EXTENSION}", ContentFile(data))
        for side, data in encoded.items()
    }


def artist_profile_update(
    *, user, artist_id: int, bio: str = KEEP, links: list[str] = KEEP, image=KEEP
) -> Artist:
    """Edit an artist's profile (its managers, moderators, staff); `image=None` removes the
    image. Each change is kept in the audit (who, when, which fields). A new image is checked
    and re-encoded by Pillow, as avatars are, and stored before the row changes; the files it
    replaces are deleted once the change commits."""
    managed_artist(user=user, artist_id=artist_id)
    if links is not KEEP:
        links = _clean_links(links)
    new_files = _store_image(Artist(pk=artist_id), image) if image not in (KEEP, None) else None
    try:
        with transaction.atomic():
            artist = managed_artist(user=user, artist_id=artist_id, lock=True)
            changed = []
            for name, value in (("bio", bio), ("links", links)):
                if value is not KEEP and getattr(artist, name) != value:
                    setattr(artist, name, value)
                    changed.append(name)
            if image is not KEEP:
                replaced = list(artist.image_files.values())
                artist.image_files = new_files or {}
                changed.append("image_files")
                if replaced:
                    transaction.on_commit(
                        lambda: [default_storage.delete(name) for name in replaced], robust=True
                    )
            if changed:
                artist.full_clean(validate_unique=False, validate_constraints=False)
                artist.save(update_fields=changed)
                fields = ["image" if name == "image_files" else name for name in changed]
                ArtistProfileChange.objects.create(artist=artist, user=user, fields=fields)
    except BaseException:
        for name in (new_files or {}).values():
            default_storage.delete(name)
        raise
    return artist


def _clean_track_order(album: Album, track_ids: list[int]) -> list[int]:
    if len(set(track_ids)) != len(track_ids):
        raise InvalidInput("A track appears twice in track_order.", field="track_order")
    known = set(Track.objects.filter(album=album).values_list("pk", flat=True))
    if set(track_ids) != known:
        raise InvalidInput(
            "track_order must list every track of the album exactly once.", field="track_order"
        )
    return track_ids


@transaction.atomic
def album_update(
    *,
    user,
    album_id: int,
    title: str = KEEP,
    year: int | None = KEEP,
    artwork=KEEP,
    track_order: list[int] = KEEP,
    is_hidden: bool = KEEP,
) -> Album:
    """Edit an album (its artist's managers, moderators, staff): title, year, artwork (checked
    and re-encoded by Pillow), the order of its tracks (their track numbers, 1 to n), and
    hiding it (core/catalog/hiding.py: a manager never lifts moderation's hide)."""
    # Row lock: concurrent edits of one album apply one after the other.
    album = Album.objects.select_for_update().filter(pk=album_id).first()
    if album is None or not can_manage_artist(user, album.artist_id):
        raise NotFound("Album not found.")
    changed = []
    if is_hidden is not KEEP:
        hiding = hide_change(user=user, obj=album, is_hidden=is_hidden, kind="album")
        changed += hiding.apply(album) if hiding else []
    if title is not KEEP:
        album.title = title.strip()
        changed.append("title")
    if year is not KEEP:
        album.year = year
        changed.append("year")
    if artwork is not KEEP:
        replaced = album.artwork.name
        if artwork is None:
            album.artwork.name = ""
        else:
            jpeg = image_reencode(artwork, field="artwork", sides=(640,))[640]
            album.artwork.save(f"cover-{uuid.uuid4().hex}.webp", ContentFile(jpeg), save=False)
        changed.append("artwork")
        if replaced:
            storage = album.artwork.storage
            transaction.on_commit(lambda: storage.delete(replaced), robust=True)
    if changed:
        album.full_clean(validate_unique=False, validate_constraints=False)
        duplicate = Album.objects.filter(artist_id=album.artist_id, title__iexact=album.title)
        if duplicate.exclude(pk=album.pk).exists():
            raise InvalidInput("The artist has another album of this title.", field="title")
        album.save(update_fields=changed)
    if track_order is not KEEP:
        order = _clean_track_order(album, track_order)
        number = models.Case(
            *(models.When(pk=pk, then=models.Value(n)) for n, pk in enumerate(order, start=1)),
            output_field=models.PositiveSmallIntegerField(),
        )
        Track.objects.filter(album=album).update(track_number=number)
    return album


@transaction.atomic
def artist_follow(*, user, artist_id: int) -> bool:
    """Follow an artist; returns whether this call followed it (False: already followed).
    Idempotent and race-free: the unique constraint keeps one row, and the follower count
    moves only with a row actually inserted."""
    if not Artist.objects.filter(pk=artist_id).exists():
        raise NotFound("Artist not found.")
    try:
        with transaction.atomic():
            ArtistFollow.objects.create(user=user, artist_id=artist_id)
    except IntegrityError:
        return False
    Artist.objects.filter(pk=artist_id).update(follower_count=models.F("follower_count") + 1)
    feed.feed_backfill(user_id=user.pk, artist_id=artist_id)
    return True


@transaction.atomic
def artist_unfollow(*, user, artist_id: int) -> bool:
    """Stop following an artist (its releases leave one's feed); False if one did not."""
    if not Artist.objects.filter(pk=artist_id).exists():
        raise NotFound("Artist not found.")
    deleted, _ = ArtistFollow.objects.filter(user=user, artist_id=artist_id).delete()
    if not deleted:
        return False
    Artist.objects.filter(pk=artist_id).update(follower_count=models.F("follower_count") - 1)
    feed.feed_forget_artist(user_id=user.pk, artist_id=artist_id)
    return True


@transaction.atomic
def user_follow(*, user, username: str) -> bool:
    """Follow a person whose profile is public; another's private profile is not found."""
    target = _user_by_name(username)
    if not target.stats_public and target.pk != user.pk:
        raise NotFound("User not found.")
    if target.pk == user.pk:
        raise InvalidInput("You cannot follow yourself.", field="username")
    try:
        with transaction.atomic():
            UserFollow.objects.create(follower=user, followed=target)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def user_unfollow(*, user, username: str) -> bool:
    target = _user_by_name(username)
    deleted, _ = UserFollow.objects.filter(follower=user, followed=target).delete()
    return bool(deleted)


def follows_forget_deleted_account(sender, instance, **kwargs) -> None:
    """Receiver of the account's `pre_delete`: its follows leave the artists' follower counts
    before they cascade away, however the account is deleted."""
    followed = ArtistFollow.objects.filter(user_id=instance.pk).values("artist_id")
    Artist.objects.filter(pk__in=followed).update(follower_count=models.F("follower_count") - 1)
