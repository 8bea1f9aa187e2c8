"""Riding out a database outage in the long-running processes (worker, stale-job sweep):
one log line when it starts, reconnect attempts with a growing pause, one line when it ends.

A restart of PostgreSQL terminates every session ("terminating connection due to
administrator command"); without this, the process exited and came back only under a
supervisor, and scripts/run.sh stopped the whole stack with it.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
FIRST_PAUSE_SECONDS = 0.5
LONGEST_PAUSE_SECONDS = 30.0


def _database_answers() -> bool:
    connections.close_all()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_UNAVAILABLE:
        return False
    return True


def wait_for_database(exc: BaseException, *, process: str) -> None:
    """Block until the database answers again, after `exc` said it did not."""
    # The error's class only: its text may carry the host and the database's name.
    logger.warning(
        "Database unavailable (%s); %s waiting for it to return", type(exc).__name__, process
    )
    started = time.monotonic()
    pause = FIRST_PAUSE_SECONDS
    while not _database_answers():
        time.sleep(pause)
        pause = min(pause * 2, LONGEST_PAUSE_SECONDS)
    logger.warning(
        "Database available again after %.1f s; %s resuming", time.monotonic() - started, process
    )
