"""Writes of insights: a counted listen enters the rollups once; a cleared history leaves them."""

import math
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Least

from core import bulk
from core.catalog import selectors as catalog_selectors
from core.catalog import services as catalog_services
from core.insights.models import (
    BUCKET_MINUTES,
    ListenedTrack,
    ListenedTrackGenre,
    ListenerQuarterHour,
    ListenerTrack,
    PendingListen,
)
from core.library.models import Play

# Counted listens applied per transaction by insights_apply_pending.
PENDING_BATCH = 500


def played_ms(played_seconds: float) -> int:
    """Milliseconds, rounded half up: integers sum the same in any order, so the rebuild and
    the incremental rollups agree to the millisecond."""
    return math.floor(played_seconds * 1000 + 0.5)


def bucket_of(instant: datetime) -> datetime:
    """The start of the UTC quarter hour holding `instant`."""
    utc = instant.astimezone(UTC)
    return utc.replace(minute=utc.minute - utc.minute % BUCKET_MINUTES, second=0, microsecond=0)


def _add(
    model: type[models.Model],
    key: dict,
    *,
    listens: int,
    ms: int,
    at: datetime,
    labels: Callable[[], dict],
) -> bool:
    """Add to the rollup row at `key`, creating it with `labels()`; True when this call
    created it."""
    changes = {
        "listens": models.F("listens") + listens,
        "ms": models.F("ms") + ms,
        "first_at": Least("first_at", models.Value(at, output_field=models.DateTimeField())),
    }
    if model.objects.filter(**key).update(**changes):
        return False
    try:
        with transaction.atomic():
            model.objects.create(**key, **labels(), listens=listens, ms=ms, first_at=at)
        return True
    except IntegrityError:
        # A concurrent listen created the row between our update and our insert.
        model.objects.filter(**key).update(**changes)
        return False


def listened_tracks_create(track_ids: list[int]) -> None:
    """Record the identity of each track of `track_ids` the catalog has and insights lack."""
    stored = bulk.values_where_in(ListenedTrack, ("track_id",), "track_id", track_ids)
    known = {pk for (pk,) in stored}
    missing = [pk for pk in track_ids if pk not in known]
    if not missing:
        return
    identities = catalog_selectors.track_identities(missing)
    ListenedTrack.objects.bulk_create(
        [
            ListenedTrack(**{k: v for k, v in identity.items() if k != "genres"})
            for identity in identities
        ],
        ignore_conflicts=True,
    )
    ListenedTrackGenre.objects.bulk_create(
        [
            ListenedTrackGenre(track_id=identity["track_id"], genre_id=gid, genre_name=name)
            for identity in identities
            for gid, name in identity["genres"]
        ],
        ignore_conflicts=True,
    )


def insights_record_listen(*, play: Play) -> None:
    """Bring the rollups up to date with a history entry (see insights_apply_listen): at once
    when INSIGHTS_ROLLUPS is `inline`; when it is `deferred`, by leaving the entry to
    `apply_listens`, which keeps the request that counts a listen as cheap as without
    insights (docs/operations.md#capacity)."""
    if not play.counted:
        return
    if settings.INSIGHTS_ROLLUPS == "deferred":
        PendingListen.objects.bulk_create([PendingListen(play_id=play.pk)], ignore_conflicts=True)
        return
    insights_apply_listen(play_id=play.pk)


def insights_apply_pending(*, limit: int = PENDING_BATCH) -> int:
    """Apply up to `limit` pending listens, oldest first, in one transaction; returns how many.
    Concurrent appliers take disjoint entries (SKIP LOCKED)."""
    with transaction.atomic():
        ids = list(
            PendingListen.objects.select_for_update(skip_locked=True)
            .order_by("play_id")
            .values_list("play_id", flat=True)[:limit]
        )
        for play_id in ids:
            insights_apply_listen(play_id=play_id)
        PendingListen.objects.filter(play_id__in=ids).delete()
    return len(ids)


@transaction.atomic
def insights_apply_listen(*, play_id: int) -> None:
    """Bring the rollups up to date with a history entry: a counted entry adds one listen the
    first time and its played time every time it grew. Idempotent: the entry, locked, keeps
    how much of it the rollups hold (`rolled_up_ms`)."""
    row = (
        Play.objects.select_for_update(of=("self",))
        .filter(pk=play_id, counted=True)
        .values("user_id", "track_id", "started_at", "played_seconds", "rolled_up_ms")
        .first()
    )
    if row is None:
        return
    ms = played_ms(row["played_seconds"])
    listens = 1 if row["rolled_up_ms"] is None else 0
    delta_ms = ms - (row["rolled_up_ms"] or 0)
    if listens == 0 and delta_ms <= 0:
        return
    user_id, track_id, at = row["user_id"], row["track_id"], row["started_at"]
    if listens:
        listened_tracks_create([track_id])
        ListenedTrack.objects.filter(pk=track_id).update(listens=models.F("listens") + 1)
        catalog_services.track_listen_counts_add({track_id: 1})

    @cache
    def labels() -> dict:
        """What the rollup rows copy from the track; read only when one is created."""
        return ListenedTrack.objects.filter(pk=track_id).values("artist_id", "album_id").get()

    amounts = {"listens": listens, "ms": delta_ms, "at": at, "labels": labels}
    bucket = bucket_of(at)
    _add(
        ListenerQuarterHour, {"user_id": user_id, "bucket": bucket, "track_id": track_id}, **amounts
    )
    if _add(ListenerTrack, {"user_id": user_id, "track_id": track_id}, **amounts):
        ListenedTrack.objects.filter(pk=track_id).update(listeners=models.F("listeners") + 1)
    Play.objects.filter(pk=play_id).update(rolled_up_ms=ms)


@transaction.atomic
def insights_forget_listener(*, user) -> None:
    """Take a listener's listens out of every rollup and counter (their history was cleared)."""
    mine = ListenerTrack.objects.filter(user=user)
    counts = dict(mine.select_for_update().values_list("track_id", "listens"))
    if not counts:
        return
    listens = mine.filter(track=models.OuterRef("pk")).values("listens")[:1]
    ListenedTrack.objects.filter(pk__in=mine.values("track_id")).update(
        listens=models.F("listens") - models.Subquery(listens),
        listeners=models.F("listeners") - 1,
    )
    catalog_services.track_listen_counts_add({pk: -count for pk, count in counts.items()})
    ListenerQuarterHour.objects.filter(user=user).delete()
    mine.delete()


def insights_forget_deleted_account(sender, instance, **kwargs) -> None:
    """pre_delete receiver of accounts: see insights_forget_listener."""
    insights_forget_listener(user=instance)
