"""Writes of insights: a counted listen enters the rollups once; a cleared history leaves them."""

import math
import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models.functions import Least, TruncDate
from django.utils import timezone

from core import bulk
from core.catalog import selectors as catalog_selectors
from core.catalog import services as catalog_services
from core.insights.models import (
    BUCKET_MINUTES,
    SETTLED_AFTER,
    ListenedTrack,
    ListenedTrackGenre,
    ListenerGenreSpan,
    ListenerMonth,
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


def month_of(bucket: datetime) -> date:
    """The first day of the UTC month holding `bucket`."""
    return bucket.astimezone(UTC).date().replace(day=1)


# What a statement upserting rollup sums does with a row that exists: add to it.
_ADD_SUMS = (
    "ON CONFLICT ({key}) DO UPDATE SET listens = {table}.listens + excluded.listens, "
    "ms = {table}.ms + excluded.ms, first_at = {least}({table}.first_at, excluded.first_at)"
)


def upsert_sums(model: type[models.Model], key: tuple[str, ...], rows: list[tuple]) -> None:
    """Add `rows` (the key fields, then any labels, then listens, ms, first_at, each key once)
    to `model`'s rollup rows, creating the missing ones with their labels: one
    INSERT ... ON CONFLICT DO UPDATE, on PostgreSQL and SQLite. Labels of existing rows stay."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = [f.name for f in model._meta.concrete_fields if not f.primary_key]
    # The row's fields in `rows` order: the key, the labels, the sums.
    sums = ("listens", "ms", "first_at")
    labels = [name for name in names if name not in key and name not in sums]
    fields = [model._meta.get_field(name) for name in (*key, *labels, *sums)]
    on_conflict = _ADD_SUMS.format(
        key=", ".join(model._meta.get_field(name).column for name in key),
        table=table,
        least="LEAST" if connection.vendor == "postgresql" else "MIN",
    )
    if len(rows) > _VALUES_ROWS:
        bulk.insert_rows(model, [f.name for f in fields], sorted(rows), on_conflict=on_conflict)
        return
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params = [
        f.get_db_prep_value(value, connection)
        for row in sorted(rows)
        for f, value in zip(fields, row, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(rows))} {on_conflict}",  # noqa: S608 (names from the models; values bound)
            params,
        )


# Above this many rows upsert_sums stages them (COPY on PostgreSQL) instead of one VALUES list.
_VALUES_ROWS = 200

# A quarter-hour rollup delta: (user_id, bucket, track_id, artist_id, album_id, listens, ms,
# first_at), as ListenerQuarterHour rows gain it.
QuarterDelta = tuple[int, datetime, int, int, int | None, int, int, datetime]


def spans_add(deltas: list[QuarterDelta], genres: dict[int, list[int]] | None = None) -> None:
    """Add what quarter-hour rows gained to the month rows and genre spans above them.
    `genres`: each track's genre ids, read from ListenedTrackGenre when not given."""
    if not deltas:
        return
    if genres is None:
        genres = {}
        pairs = bulk.values_where_in(
            ListenedTrackGenre,
            ("track_id", "genre_id"),
            "track_id",
            sorted({d[2] for d in deltas}),
        )
        for track_id, genre_id in pairs:
            genres.setdefault(track_id, []).append(genre_id)
    months: dict[tuple, list] = {}
    spans: dict[tuple, list] = {}

    def add(into: dict, key: tuple, labels: tuple, listens: int, ms: int, at: datetime) -> None:
        row = into.get(key)
        if row is None:
            into[key] = [*labels, listens, ms, at]
        else:
            row[-3] += listens
            row[-2] += ms
            row[-1] = min(row[-1], at)

    for user_id, bucket, track_id, artist_id, album_id, listens, ms, at in deltas:
        month = month_of(bucket)
        add(months, (user_id, month, track_id), (artist_id, album_id), listens, ms, at)
        day = bucket.astimezone(UTC).date()
        for genre_id in genres.get(track_id, ()):
            add(spans, (user_id, ListenerGenreSpan.DAY, day, genre_id), (), listens, ms, at)
            add(spans, (user_id, ListenerGenreSpan.MONTH, month, genre_id), (), listens, ms, at)
    upsert_sums(ListenerMonth, ("user", "month", "track"), [(*k, *v) for k, v in months.items()])
    upsert_sums(
        ListenerGenreSpan,
        ("user", "span", "start", "genre_id"),
        [(*k, *v) for k, v in spans.items()],
    )


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


# A version is a fresh random number, never a counter: a transaction rolled back after moving
# a counter would let the next change reuse its number, and figures kept under it. A negative
# past version in `excluded` means "leave the past version" (a new row keeps it as it is).
_VERSIONS_SQL = (
    "INSERT INTO core_listenerstatsversion (user_id, version, past_version) VALUES {rows} "
    "ON CONFLICT (user_id) DO UPDATE SET version = excluded.version, "
    "past_version = CASE WHEN excluded.past_version > 0 THEN excluded.past_version "
    "ELSE core_listenerstatsversion.past_version END"
)


def _fresh_version() -> int:
    return secrets.randbits(62) + 1


def listeners_changed(changes: dict[int, datetime | None]) -> None:
    """Move the stats version of each listener of `changes` (user id -> the earliest start of
    the listens their rollups gained or lost; None: any time), in the transaction that changed
    the rollups, so that their figures kept in the cache are not read again
    (keeping.kept_figures). Listens older than SETTLED_AFTER move `past_version` too. In user
    id order: concurrent writers lock the rows in the same order."""
    if not changes:
        return
    settled = timezone.now() - SETTLED_AFTER
    params = []
    for user_id in sorted(changes):
        at = changes[user_id]
        past = _fresh_version()
        moved = at is None or at < settled
        params += [user_id, _fresh_version(), past if moved else -past]
    rows = ", ".join(["(%s, %s, %s)"] * len(changes))
    with connection.cursor() as cursor:
        cursor.execute(_VERSIONS_SQL.format(rows=rows), params)


_ARTIST_VERSIONS_SQL = (
    "INSERT INTO core_artistdayversion (artist_id, day, version) {rows} "
    "ON CONFLICT (artist_id, day) DO UPDATE SET version = excluded.version"
)
# PostgreSQL takes any number of rows as three arrays; ORDER BY: the rows are locked in it.
_ARTIST_VERSIONS_ARRAYS = (
    "SELECT * FROM unnest(%s::bigint[], %s::date[], %s::bigint[]) ORDER BY 1, 2"
)
# Django binds at most 999 values a statement on SQLite, whose writers take turns anyway.
_ARTIST_VERSIONS_CHUNK = 300


def artist_days_changed(pairs: Iterable[tuple[int, date]]) -> None:
    """Move the version (ArtistDayVersion) of each (artist id, UTC day) of `pairs` whose
    settled rollup rows changed, in the transaction that changed them, so that the artist
    statistics kept under it are read again (insights.artists): one statement, in (artist,
    day) order, so that concurrent writers lock the rows in the same order."""
    rows = [(artist_id, day, _fresh_version()) for artist_id, day in sorted(set(pairs))]
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = [list(column) for column in zip(*rows, strict=True)]
            cursor.execute(_ARTIST_VERSIONS_SQL.format(rows=_ARTIST_VERSIONS_ARRAYS), arrays)
            return
        for start in range(0, len(rows), _ARTIST_VERSIONS_CHUNK):
            chunk = rows[start : start + _ARTIST_VERSIONS_CHUNK]
            values = "VALUES " + ", ".join(["(%s, %s, %s)"] * len(chunk))
            params = [
                value
                for artist_id, day, version in chunk
                for value in (artist_id, connection.ops.adapt_datefield_value(day), version)
            ]
            cursor.execute(_ARTIST_VERSIONS_SQL.format(rows=values), params)


def artists_changed(listens: Iterable[tuple[int, datetime]]) -> None:
    """artist_days_changed for the UTC days of `listens` (artist id, when a listen the rollups
    gained or lost started) that started more than SETTLED_AFTER ago, the past listens of
    listeners_changed: the others are at or after the settled edge, in no kept figures."""
    settled = timezone.now() - SETTLED_AFTER
    artist_days_changed(
        (artist_id, at.astimezone(UTC).date()) for artist_id, at in listens if at < settled
    )


def settled_changed() -> None:
    """Move the settled generation (keeping.settled_generation), which every artist's kept
    statistics depend on, once the transaction that rewrote the rollups (a rebuild) commits:
    a reader that sees the new generation then reads the new rows. PostgreSQL only (SQLite
    keeps no artist statistics)."""
    if connection.vendor != "postgresql":
        return

    def move() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('core_insights_settled_generation')")

    transaction.on_commit(move)


def all_listeners_changed() -> None:
    """listeners_changed for every listener, as after a rebuild of the rollups."""
    version, past = _fresh_version(), _fresh_version()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_listenerstatsversion SET version = %s, past_version = %s", [version, past]
        )
        # WHERE true: SQLite would read ON CONFLICT as a join's ON without it.
        cursor.execute(
            "INSERT INTO core_listenerstatsversion (user_id, version, past_version) "
            "SELECT DISTINCT user_id, %s, %s FROM core_listenertrack WHERE true "
            "ON CONFLICT (user_id) DO NOTHING",
            [version, past],
        )
    settled_changed()


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
        changed: dict[int, datetime] = {}
        artists: list[tuple[int, datetime]] = []
        for play_id in ids:
            if applied := _apply_listen(play_id):
                user_id, artist_id, at = applied
                changed[user_id] = min(at, changed.get(user_id, at))
                artists.append((artist_id, at))
        artists_changed(artists)
        listeners_changed(changed)
        PendingListen.objects.filter(play_id__in=ids).delete()
    return len(ids)


@transaction.atomic
def insights_apply_listen(*, play_id: int) -> None:
    """Bring the rollups up to date with a history entry: a counted entry adds one listen the
    first time and its played time every time it grew. Idempotent: the entry, locked, keeps
    how much of it the rollups hold (`rolled_up_ms`)."""
    if applied := _apply_listen(play_id):
        user_id, artist_id, at = applied
        artists_changed([(artist_id, at)])
        listeners_changed({user_id: at})


def _apply_listen(play_id: int) -> tuple[int, int, datetime] | None:
    """insights_apply_listen without moving any version; returns the listener, the track's
    artist and when the listen started if the rollups changed. In the caller's transaction."""
    row = (
        Play.objects.select_for_update(of=("self",))
        .filter(pk=play_id, counted=True)
        .values("user_id", "track_id", "started_at", "played_seconds", "rolled_up_ms")
        .first()
    )
    if row is None:
        return None
    ms = played_ms(row["played_seconds"])
    listens = 1 if row["rolled_up_ms"] is None else 0
    delta_ms = ms - (row["rolled_up_ms"] or 0)
    if listens == 0 and delta_ms <= 0:
        return None
    user_id, track_id, at = row["user_id"], row["track_id"], row["started_at"]
    if listens:
        listened_tracks_create([track_id])
        ListenedTrack.objects.filter(pk=track_id).update(listens=models.F("listens") + 1)
        catalog_services.track_listen_counts_add({track_id: 1})

    # What the rollup rows copy from the track, and its genres, in one query.
    found = list(
        ListenedTrack.objects.filter(pk=track_id)
        .values_list("artist_id", "album_id", "genres__genre_id")
        .order_by()
    )
    artist_id, album_id = found[0][:2]
    genres = {track_id: [genre_id for *_, genre_id in found if genre_id is not None]}

    def labels() -> dict:
        return {"artist_id": artist_id, "album_id": album_id}

    amounts = {"listens": listens, "ms": delta_ms, "at": at, "labels": labels}
    bucket = bucket_of(at)
    _add(
        ListenerQuarterHour, {"user_id": user_id, "bucket": bucket, "track_id": track_id}, **amounts
    )
    if _add(ListenerTrack, {"user_id": user_id, "track_id": track_id}, **amounts):
        ListenedTrack.objects.filter(pk=track_id).update(listeners=models.F("listeners") + 1)
    spans_add(
        [(user_id, bucket, track_id, artist_id, album_id, listens, delta_ms, at)], genres=genres
    )
    Play.objects.filter(pk=play_id).update(rolled_up_ms=ms)
    return user_id, artist_id, at


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
    quarters = ListenerQuarterHour.objects.filter(user=user).order_by()
    days = quarters.annotate(day=TruncDate("bucket", tzinfo=UTC)).values_list("artist_id", "day")
    artist_days_changed(days.distinct())
    ListenerQuarterHour.objects.filter(user=user).delete()
    ListenerMonth.objects.filter(user=user).delete()
    ListenerGenreSpan.objects.filter(user=user).delete()
    mine.delete()
    listeners_changed({user.pk: None})


def insights_forget_deleted_account(sender, instance, **kwargs) -> None:
    """pre_delete receiver of accounts: see insights_forget_listener."""
    insights_forget_listener(user=instance)
