"""Database connections kept between requests, checked without a round trip.

Django's CONN_HEALTH_CHECKS sends `SELECT 1` before the first query of every request that
reuses a connection: one more round trip on every request. A PostgreSQL server that restarts
or ends a session (`pg_terminate_backend`, an idle timeout) says so on the socket, an error
message and then end-of-file, and the socket turns readable while the connection sits idle
between requests. So at the start of each request a kept connection whose socket has
something to read is closed, and the request opens a fresh one: a poll of the socket, no
round trip (docs/operations.md).

What it cannot see, a server gone without closing its end (a host that lost power), makes the
request's first query fail: that request answers 503 (core/api/outage.py) and Django closes
the broken connection when it ends, so the next request connects afresh.
"""

import select

from django.db import connections


def _closed_by_server(connection) -> bool:
    try:
        fd = connection.connection.pgconn.socket
    except Exception:
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def drop_closed_connections(**kwargs) -> None:
    """Close each idle PostgreSQL connection the server has ended (a `request_started`
    receiver)."""
    for connection in connections.all(initialized_only=True):
        if (
            connection.connection is not None
            and connection.vendor == "postgresql"
            and not connection.in_atomic_block
            and _closed_by_server(connection)
        ):
            connection.close()
