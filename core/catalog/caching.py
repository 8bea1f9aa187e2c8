"""What may be kept of payloads built from the catalog, and for how long.

The catalog version (PostgreSQL, migration 0044) moves whenever anything a catalog payload
shows changes, when the change commits included; something built from the catalog is kept
under the version it was built at, so that an edit, a hide or a delete is seen by the next
request. Two things bound how long it is kept besides the version: the counters that
listening and following move without moving the version (`listen_count`, `follower_count`), and
the presigned artwork URLs in payloads, which must outlive any kept copy, in the server's cache
or in a client's after a 304. So kept copies belong to one `keep_window()` of `keep_seconds()`
(at most half a URL's lifetime), after which copies and validators are renewed.
SQLite has no version (None): there nothing is kept. docs/architecture.md#catalog-version.
"""

import time

from django.conf import settings
from django.db import connection

CATALOG_VERSION = "core_catalog_version"


def sequence_sql(name: str) -> str:
    """A statement of where a version kept as a PostgreSQL sequence (moved by triggers)
    stands, as one row of one number, for readers that fold it into a statement of theirs."""
    sequence = connection.ops.quote_name(name)
    return f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}"  # noqa: S608


def sequence_position(name: str) -> int | None:
    """Where a version kept as a PostgreSQL sequence stands, in one query; None on SQLite,
    which has no sequences."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(sequence_sql(name))
        return cursor.fetchone()[0]


def catalog_version() -> int | None:
    """Where the catalog stands, in one query; None where there is no version (SQLite)."""
    return sequence_position(CATALOG_VERSION)


def keeping() -> bool:
    """Whether anything is kept at all: on PostgreSQL, with CATALOG_CACHE_SECONDS above 0."""
    return connection.vendor == "postgresql" and keep_seconds() > 0


def _half_url_life() -> int:
    return max(1, settings.AWS_QUERYSTRING_EXPIRE // 2)


def keep_seconds() -> int:
    """How long a payload built from the catalog may be kept at most."""
    return min(settings.CATALOG_CACHE_SECONDS, _half_url_life())


def keep_window() -> int:
    """The current window of `keep_seconds()`: a copy made in one is neither served nor
    revalidated (304) in the next, so no kept figure lags by more than that, and every artwork
    URL handed out has at least half its lifetime left. Call only when `keeping()`."""
    return int(time.time()) // keep_seconds()
