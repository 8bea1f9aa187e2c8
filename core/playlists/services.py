"""Writes of playlists: details, ordered items under a snapshot_id, and share links.

Order is kept in `PlaylistItem.position`, a sparse positive sort key. An insert or a move takes
keys between its new neighbours, so it writes only the rows it adds or moves; the whole playlist
is renumbered only when the gap between two neighbours has run out. Indexes given by clients
count the playable items only (see selectors), read from each item's `playable` flag, which
a database trigger keeps in step with the tracks (core/migrations/0015).
"""

from datetime import datetime

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from core.api.errors import Conflict, InvalidInput, NotFound
from core.catalog.models import Track
from core.playlists import selectors
from core.playlists.models import Playlist, PlaylistItem, PlaylistShare, new_snapshot_id

PLAYLIST_MAX_ITEMS = 10_000
SHARES_PER_PLAYLIST_MAX = 100
# Room between neighbouring keys after a renumbering: 32 inserts at one spot before the next.
POSITION_GAP = 2**32
# Keys stay within [1, MAX_POSITION]; renumbering negates them first, so they must stay positive.
MAX_POSITION = 2**62


@transaction.atomic
def playlist_create(
    *, owner, name: str, description: str = "", is_public: bool = False
) -> Playlist:
    """A new, empty playlist of `owner`."""
    playlist = Playlist(owner=owner, name=name, description=description, is_public=is_public)
    playlist.full_clean()
    playlist.save()
    return playlist


@transaction.atomic
def playlist_update(
    *,
    playlist: Playlist,
    name: str | None = None,
    description: str | None = None,
    is_public: bool | None = None,
) -> Playlist:
    """Change a playlist's details; its items and snapshot_id stay as they are."""
    changes = {"name": name, "description": description, "is_public": is_public}
    changed = [field for field, value in changes.items() if value is not None]
    if not changed:
        return playlist
    for field in changed:
        setattr(playlist, field, changes[field])
    playlist.full_clean(exclude=["owner"])
    playlist.save(update_fields=[*changed, "updated_at"])
    return playlist


@transaction.atomic
def playlist_delete(*, playlist: Playlist) -> None:
    """Delete a playlist with its items and share links."""
    playlist.delete()


def _lock(playlist: Playlist, snapshot_id: str | None) -> Playlist:
    # Every change locks the playlist row first: without it, concurrent adds could take the
    # same free key, or overwrite each other's items_count and snapshot_id.
    locked = Playlist.objects.select_for_update().filter(pk=playlist.pk).first()
    if locked is None:
        raise NotFound("Playlist not found.")
    if snapshot_id is not None and snapshot_id != locked.snapshot_id:
        raise Conflict(
            "The playlist has changed since this snapshot_id; reload it and try again.",
            field="snapshot_id",
            code="stale_snapshot",
        )
    return locked


def _record_change(playlist: Playlist) -> None:
    """Recount the items (exact even after tracks were deleted) and issue a new snapshot_id."""
    playlist.items_count = PlaylistItem.objects.filter(playlist=playlist).count()
    playlist.snapshot_id = new_snapshot_id()
    playlist.save(update_fields=["items_count", "snapshot_id", "updated_at"])


def _check_index(value: int, field: str) -> None:
    if value < 0:
        raise InvalidInput("Must be 0 or more.", field=field)


def _playable_item_at(playlist_id: int, index: int, *, field: str) -> tuple[int, int] | None:
    """(id, key) of the playable item now at `index`, or None when `index` is the end."""
    start = max(index - 1, 0)
    rows = list(
        selectors.playable_items(playlist_id=playlist_id).values_list("id", "position")[
            start : index + 1
        ]
    )
    if index == 0:
        return rows[0] if rows else None
    if not rows:
        raise InvalidInput("Past the end of the playlist.", field=field)
    return rows[1] if len(rows) == 2 else None


def _key_before(playlist_id: int, upper_key: int | None, exclude_ids: list[int]) -> int:
    """The key just before `upper_key` (or the last key), hidden items included; 0 if none."""
    items = PlaylistItem.objects.filter(playlist_id=playlist_id).exclude(pk__in=exclude_ids)
    if upper_key is not None:
        items = items.filter(position__lt=upper_key)
    return items.order_by("-position").values_list("position", flat=True).first() or 0


def _spread(lower: int, upper: int | None, count: int) -> list[int] | None:
    """`count` increasing keys strictly between `lower` and `upper`, or None if they do not fit."""
    if upper is None:
        step = min(POSITION_GAP, (MAX_POSITION - lower) // (count + 1))
    else:
        step = (upper - lower) // (count + 1)
    if step < 1:
        return None
    return [lower + step * (k + 1) for k in range(count)]


def _renumber(playlist_id: int) -> None:
    """Give every item of the playlist evenly spaced keys, keeping their order."""
    items = PlaylistItem.objects.filter(playlist_id=playlist_id)
    # The unique (playlist, position) constraint is checked row by row, so go in two steps:
    # negated keys are distinct and clear of every positive key, and final keys then clear of them.
    items.update(position=-F("position"))
    table = connection.ops.quote_name(PlaylistItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET position = ranked.rank * %s "  # noqa: S608 (table name only)
            f"FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY position DESC) AS rank "
            f"FROM {table} WHERE playlist_id = %s) AS ranked "
            f"WHERE {table}.id = ranked.id",
            [POSITION_GAP, playlist_id],
        )


def _free_keys(
    playlist_id: int, *, before: tuple[int, int] | None, count: int, exclude_ids: list[int]
) -> list[int]:
    """Keys for `count` items placed right before the item `before` (None: at the very end)."""
    upper = before[1] if before else None
    keys = _spread(_key_before(playlist_id, upper, exclude_ids), upper, count)
    if keys is None:
        _renumber(playlist_id)
        if before is not None:
            upper = PlaylistItem.objects.values_list("position", flat=True).get(pk=before[0])
        keys = _spread(_key_before(playlist_id, upper, exclude_ids), upper, count)
    assert keys is not None, "renumbering leaves POSITION_GAP between neighbours"
    return keys


@transaction.atomic
def playlist_add_item(
    *,
    playlist: Playlist,
    track_id: int,
    position: int | None = None,
    snapshot_id: str | None = None,
) -> tuple[Playlist, PlaylistItem]:
    """Insert a playable track before the item at index `position` (default: at the end)."""
    if position is not None:
        _check_index(position, "position")
    # Lock the track row: a moderator hiding it meanwhile waits for this item to exist before
    # copying the new playability onto the track's items (or this add sees it hidden).
    if not Track.objects.playable().select_for_update(no_key=True).filter(pk=track_id).exists():
        raise InvalidInput("Track not found or not playable.", field="track_id")
    playlist = _lock(playlist, snapshot_id)
    if playlist.items_count >= PLAYLIST_MAX_ITEMS:
        raise InvalidInput(
            f"A playlist holds at most {PLAYLIST_MAX_ITEMS} items.", code="playlist_full"
        )
    before = None
    if position is not None:
        before = _playable_item_at(playlist.pk, position, field="position")
    [key] = _free_keys(playlist.pk, before=before, count=1, exclude_ids=[])
    item = PlaylistItem.objects.create(
        playlist=playlist, track_id=track_id, position=key, playable=True
    )
    _record_change(playlist)
    return playlist, item


@transaction.atomic
def playlist_remove_items(
    *,
    playlist: Playlist,
    item_id: int | None = None,
    track_id: int | None = None,
    snapshot_id: str | None = None,
) -> tuple[Playlist, int]:
    """Remove one item by id, or every occurrence of a track; returns how many went."""
    if (item_id is None) == (track_id is None):
        raise InvalidInput("Give either item_id or track_id.", field="item_id")
    playlist = _lock(playlist, snapshot_id)
    items = PlaylistItem.objects.filter(playlist=playlist)
    if item_id is not None:
        removed, _ = items.filter(pk=item_id).delete()
        if not removed:
            raise InvalidInput("No such item in this playlist.", field="item_id")
    else:
        removed, _ = items.filter(track_id=track_id).delete()
        if not removed:
            raise InvalidInput("This track is not in the playlist.", field="track_id")
    _record_change(playlist)
    return playlist, removed


@transaction.atomic
def playlist_move_items(
    *,
    playlist: Playlist,
    range_start: int,
    insert_before: int,
    range_length: int = 1,
    snapshot_id: str | None = None,
) -> Playlist:
    """Move `range_length` items from index `range_start` to before index `insert_before`.

    Spotify's meaning: indexes refer to the order before the move; `insert_before` equal to
    the length moves the range to the end. A move that would leave the order as it is changes
    nothing, snapshot_id included.
    """
    _check_index(range_start, "range_start")
    _check_index(insert_before, "insert_before")
    if range_length < 1:
        raise InvalidInput("Must be 1 or more.", field="range_length")
    playlist = _lock(playlist, snapshot_id)
    moved = list(
        selectors.playable_items(playlist_id=playlist.pk).values_list("id", flat=True)[
            range_start : range_start + range_length
        ]
    )
    if len(moved) < range_length:
        raise InvalidInput("The range runs past the end of the playlist.", field="range_start")
    before = _playable_item_at(playlist.pk, insert_before, field="insert_before")
    if range_start <= insert_before <= range_start + range_length:
        return playlist
    keys = _free_keys(playlist.pk, before=before, count=len(moved), exclude_ids=moved)
    PlaylistItem.objects.bulk_update(
        [PlaylistItem(pk=pk, position=key) for pk, key in zip(moved, keys, strict=True)],
        ["position"],
        batch_size=500,
    )
    _record_change(playlist)
    return playlist


@transaction.atomic
def playlist_share_create(
    *, playlist: Playlist, expires_at: datetime | None = None
) -> PlaylistShare:
    """A new unguessable link to the playlist, live until revoked or `expires_at`."""
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput("Must be in the future.", field="expires_at")
    # Lock the playlist so that concurrent creations cannot pass the cap together.
    Playlist.objects.select_for_update().filter(pk=playlist.pk).first()
    if selectors.share_list(playlist=playlist).count() >= SHARES_PER_PLAYLIST_MAX:
        raise InvalidInput(
            f"A playlist has at most {SHARES_PER_PLAYLIST_MAX} share links; revoke some first.",
            code="too_many_shares",
        )
    share = PlaylistShare(playlist=playlist, expires_at=expires_at)
    share.full_clean()
    share.save()
    return share


def playlist_share_revoke(*, playlist: Playlist, share_id: int) -> None:
    """Revoke a share link of the playlist; its token stops working at once."""
    revoked = PlaylistShare.objects.filter(
        pk=share_id, playlist=playlist, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not revoked:
        raise NotFound("Share link not found.")


def playlist_share_visit(*, token: str) -> PlaylistShare:
    """The live share link for `token`, its visit counted."""
    share = selectors.share_get_live(token=token)
    # F() so that simultaneous visits each count.
    PlaylistShare.objects.filter(pk=share.pk).update(visit_count=F("visit_count") + 1)
    share.visit_count += 1
    return share


def _append(playlist: Playlist, track_ids: list[int]) -> None:
    """Put playable `track_ids` at the end of a locked playlist, in order (repeats allowed)."""
    if not track_ids:
        return
    playable = set(
        Track.objects.playable()
        .select_for_update(no_key=True)
        .filter(pk__in=set(track_ids))
        .values_list("pk", flat=True)
    )
    missing = [pk for pk in track_ids if pk not in playable]
    if missing:
        raise NotFound("Track not found or not playable.")
    count = PlaylistItem.objects.filter(playlist=playlist).count()
    if count + len(track_ids) > PLAYLIST_MAX_ITEMS:
        raise InvalidInput(
            f"A playlist holds at most {PLAYLIST_MAX_ITEMS} items.", code="playlist_full"
        )
    keys = _free_keys(playlist.pk, before=None, count=len(track_ids), exclude_ids=[])
    PlaylistItem.objects.bulk_create(
        [
            PlaylistItem(playlist=playlist, track_id=pk, position=key, playable=True)
            for pk, key in zip(track_ids, keys, strict=True)
        ],
        batch_size=500,
    )


@transaction.atomic
def playlist_replace_items(*, playlist: Playlist, track_ids: list[int]) -> Playlist:
    """Make the playlist hold exactly `track_ids`, in order (how Subsonic apps save an edit):
    one change, one new snapshot_id."""
    playlist = _lock(playlist, None)
    PlaylistItem.objects.filter(playlist=playlist).delete()
    _append(playlist, track_ids)
    _record_change(playlist)
    return playlist


@transaction.atomic
def playlist_edit_items(
    *, playlist: Playlist, remove_indexes: list[int], add_track_ids: list[int]
) -> Playlist:
    """Remove the playable items at `remove_indexes` (indexes of the list before the call),
    then append `add_track_ids`: one change, one new snapshot_id (none if nothing changes)."""
    if not remove_indexes and not add_track_ids:
        return playlist
    playlist = _lock(playlist, None)
    if remove_indexes:
        for index in remove_indexes:
            _check_index(index, "index")
        item_ids = list(
            selectors.playable_items(playlist_id=playlist.pk).values_list("id", flat=True)[
                : max(remove_indexes) + 1
            ]
        )
        if max(remove_indexes) >= len(item_ids):
            raise InvalidInput("Past the end of the playlist.", field="index")
        PlaylistItem.objects.filter(pk__in={item_ids[i] for i in remove_indexes}).delete()
    _append(playlist, add_track_ids)
    _record_change(playlist)
    return playlist
