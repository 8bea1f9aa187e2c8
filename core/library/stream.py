"""The stream: a presigned GET on a playable track's audio, and the history entry it opens.

The hottest endpoint, so its database work is raw SQL kept in this one module, read by column
name. On PostgreSQL it is ONE round trip: a statement that confirms the account, reads the
playable track and the variant asked for, looks for the listener's entry from the dedup
window and inserts one when there is none, after an advisory lock on (listener, track) in the
same execute. Elsewhere (SQLite, the embedded default) the same read, then `play_start`.

"Playable" is TrackQuerySet.playable()'s rule (ready and not hidden), restated in SQL here;
tests/library/test_stream_contract.py holds the two to each other over every status,
visibility and variant.
"""

import functools
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from config import prepared
from config.ints import INT64_MAX
from core.accounts.tokens import claimed_token_version
from core.api.errors import NotFound, ServiceUnavailable, Unauthenticated
from core.catalog.models import Track, TrackStatus
from core.library.models import Play
from core.processing.models import TrackVariant
from core.processing.selectors import ORIGINAL, StreamSource, choose_source
from media_pipeline.storage import StorageUnavailable, get_storage

_CLIENT_MAX_LENGTH = Play._meta.get_field("client").max_length
# Advisory locks of history inserts: this namespace, and a hash of (listener, track).
_PLAY_LOCK_SPACE = 0x706C6179
_PLAY_LOCK_SQL = "SELECT pg_advisory_xact_lock(%(lock_space)s, %(lock_key)s)"


@dataclass(frozen=True)
class StreamGrant:
    url: str
    expires_at: datetime
    content_type: str
    size: int
    duration: float | None
    play_id: int
    quality: str


def dedup_since(now: datetime) -> datetime | None:
    """The start of the dedup window: a listener's entry for a track since then is reused.
    None when the window is off (PLAY_DEDUP_WINDOW_SECONDS = 0): every request opens one."""
    seconds = settings.PLAY_DEDUP_WINDOW_SECONDS
    return now - timedelta(seconds=seconds) if seconds > 0 else None


@functools.cache
def _tables() -> dict[str, str]:
    models = {"users": get_user_model(), "tracks": Track, "variants": TrackVariant, "plays": Play}
    return {name: model._meta.db_table for name, model in models.items()}


@functools.cache
def _recent_play_sql() -> str:
    """The listener's newest entry for the track inside the window (none when it is off)."""
    return """
        SELECT p.id FROM {plays} p
         WHERE p.user_id = %(user)s AND p.track_id = %(track)s AND p.started_at > %(since)s
         ORDER BY p.started_at DESC LIMIT 1
    """.format(**_tables())  # noqa: S608 (table names from the models; values bound)


@functools.cache
def _target_sql(variant: bool) -> str:
    # Raw SQL on purpose: building this query with the ORM costs several times what running
    # it does. One row when the account exists, with NULL track columns when no playable
    # track has the id. The variant of %(quality)s is joined only when one is asked for: the
    # original, what players ask for unless told otherwise, needs no join.
    if variant:
        variant_columns = "v.key AS variant_key, v.content_type AS variant_type, v.size"
        variant_join = "LEFT JOIN {variants} v ON v.track_id = t.id AND v.quality = %(quality)s"
    else:
        variant_columns = "NULL AS variant_key, NULL AS variant_type, NULL"
        variant_join = ""
    sql = """
        SELECT u.is_active AS active, u.token_version = %(token_version)s AS token_current,
               t.id AS track_id, t.duration AS duration,
               t.storage_key AS key, t.content_type AS content_type, t.size AS size,
               {variant_columns} AS variant_size,
               ({recent}) AS recent_play_id
          FROM {users} u
          LEFT JOIN {tracks} t
            ON t.id = %(track)s AND t.status = %(ready)s AND NOT t.is_hidden
          {variant_join}
         WHERE u.id = %(user)s
    """
    return sql.format(  # table names and our fragments; values bound
        variant_columns=variant_columns,
        variant_join=variant_join.format(**_tables()),
        recent=_recent_play_sql(),
        **_tables(),
    )


@functools.cache
def _insert_play_sql() -> str:
    """Open an entry unless the window already holds one (its id, or no row)."""
    return """
        INSERT INTO {plays} (user_id, track_id, started_at, client, played_seconds, counted)
        SELECT %(user)s, %(track)s, %(now)s, %(client)s, 0, FALSE
         WHERE NOT EXISTS ({recent})
        RETURNING id
    """.format(recent=_recent_play_sql(), **_tables())


@functools.cache
def _one_round_trip_sql(variant: bool) -> str:
    return """
        WITH target AS ({target}),
        opened AS (
            INSERT INTO {plays} (user_id, track_id, started_at, client, played_seconds, counted)
            SELECT %(user)s, track_id, %(now)s, %(client)s, 0, FALSE FROM target
             WHERE active AND token_current AND track_id IS NOT NULL AND recent_play_id IS NULL
            RETURNING id
        )
        SELECT target.*, (SELECT id FROM opened) AS opened_play_id FROM target
    """.format(target=_target_sql(variant), **_tables())  # noqa: S608 (our fragments; values bound)


def _params(
    *,
    user_id: int,
    track_id: int,
    client: str,
    now: datetime,
    quality: str,
    token_version: int | None = None,
) -> dict:
    return {
        "user": user_id,
        "token_version": token_version,
        "track": track_id,
        "now": now,
        "client": client[:_CLIENT_MAX_LENGTH],
        "since": dedup_since(now),
        "ready": TrackStatus.READY,
        "quality": quality,
    }


def _lock_params(params: dict) -> dict:
    key = zlib.crc32(f"{params['user']}:{params['track']}".encode()) - 2**31
    return {**params, "lock_space": _PLAY_LOCK_SPACE, "lock_key": key}


def _fetch_row(sql: str, params: dict, *, locked: bool = False) -> dict | None:
    """Run `sql` (after the advisory lock, in the same execute, when `locked`) and return its
    first row by column name. The statements are prepared once per connection on PostgreSQL
    (config/prepared.py): planning the stream's statement took longer than running it."""
    # The lock and the statement in one execute (Django's psycopg cursors bind client-side),
    # one implicit transaction: the statement's snapshot is taken once the lock is held, so it
    # sees the entry the previous holder committed.
    lock = (_PLAY_LOCK_SQL, _lock_params(params)) if locked else None
    return prepared.fetch_one(sql, params, first=lock)


def _one_round_trip() -> bool:
    return connection.vendor == "postgresql"


def play_start(*, user_id: int, track_id: int, client: str, now: datetime | None = None) -> int:
    """Open a history entry, or give the listener's entry for this track from the dedup window.

    Concurrent calls for one listener and track open one entry between them: on PostgreSQL
    under the advisory lock on (listener, track) taken in the insert's own round trip;
    elsewhere (SQLite) the insert is one statement holding the database's write lock.
    """
    params = _params(
        user_id=user_id, track_id=track_id, client=client, now=now or timezone.now(), quality=""
    )
    dedup = params["since"] is not None
    try:
        with transaction.atomic():
            opened = _fetch_row(_insert_play_sql(), params, locked=dedup and _one_round_trip())
            if opened is not None:
                return opened["id"]
            recent = _fetch_row(_recent_play_sql(), params)
            if recent is not None:
                return recent["id"]
            # ... and the history was cleared since: open one regardless.
            return _fetch_row(_insert_play_sql(), {**params, "since": None})["id"]
    except IntegrityError:
        # The track (or the account) was deleted since it was read.
        raise NotFound("Track not found.") from None


def _read_and_open(params: dict) -> tuple[dict | None, int | None]:
    """The target row and the entry it opened: one statement on PostgreSQL; elsewhere the
    read, then play_start() when the account and track qualify."""
    dedup = params["since"] is not None
    variant = params["quality"] != ORIGINAL
    try:
        if _one_round_trip():
            row = _fetch_row(_one_round_trip_sql(variant), params, locked=dedup)
            return row, None if row is None else row["opened_play_id"]
        row = _fetch_row(_target_sql(variant), params)
    except IntegrityError:
        # The track or the account was deleted while the statement ran.
        raise NotFound("Track not found.") from None
    if row is None or not (row["active"] and row["token_current"]) or row["track_id"] is None:
        return row, None
    if row["recent_play_id"] is not None:
        return row, None
    opened = play_start(
        user_id=params["user"],
        track_id=params["track"],
        client=params["client"],
        now=params["now"],
    )
    return row, opened


def _source(row: dict, quality: str) -> StreamSource:
    variant = None
    if row["variant_key"] is not None:
        variant = StreamSource(
            quality, row["variant_key"], row["variant_type"], row["variant_size"]
        )
    original = StreamSource(ORIGINAL, row["key"], row["content_type"], row["size"])
    return choose_source(quality, original=original, variant=variant)


def track_stream(*, user, track_id: int, client: str, quality: str = ORIGINAL) -> StreamGrant:
    """A presigned GET on a playable track's audio, and the history entry it opens.

    `quality` picks a streaming variant; a track without that variant streams its original,
    and the grant says which one it gives. Storage must have answered a recent probe before
    anything is written, so an outage leaves no entry behind.

    `user` may be a token's user (its id and token only): the read that finds the track also
    confirms that the account exists, is active and has not revoked the token (a password
    change or a deactivation since it was issued), so such a token is refused at once although
    authentication loaded no user row.
    """
    if not 0 < track_id <= INT64_MAX:
        raise NotFound("Track not found.")  # and no id column holds it
    now = timezone.now()
    storage = get_storage()
    try:
        storage.ensure_reachable(max_age=settings.STORAGE_PROBE_SECONDS)
    except StorageUnavailable:
        raise ServiceUnavailable("Object storage is unavailable; retry shortly.") from None
    params = _params(
        user_id=int(user.pk),
        track_id=track_id,
        client=client,
        now=now,
        quality=quality,
        token_version=claimed_token_version(user),
    )
    row, opened = _read_and_open(params)
    if row is None:
        raise Unauthenticated("User not found", code="user_not_found")
    if not row["active"]:
        raise Unauthenticated("User is inactive", code="user_inactive")
    if not row["token_current"]:
        raise Unauthenticated(
            "The token was revoked by a password change or a deactivation.", code="token_revoked"
        )
    if row["track_id"] is None:
        raise NotFound("Track not found.")
    source = _source(row, quality)
    expires_in = settings.STREAM_URL_EXPIRY_SECONDS
    try:
        presigned = storage.presign_download(
            source.key, expires_in=expires_in, content_type=source.content_type
        )
    except StorageUnavailable:
        # Signing failed after the statement opened the entry: take it back.
        if opened is not None:
            Play.objects.filter(pk=opened).delete()
        raise ServiceUnavailable("Object storage is unavailable; retry shortly.") from None
    return StreamGrant(
        url=presigned.url,
        expires_at=presigned.expires_at or now + timedelta(seconds=expires_in),
        content_type=source.content_type,
        size=source.size,
        duration=row["duration"],
        play_id=opened if opened is not None else row["recent_play_id"],
        quality=source.quality,
    )
