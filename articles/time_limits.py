"""A time limit on a request's SQL, so a page the server cannot answer in time says so.

Warm, a search at a million articles takes tens of milliseconds. Cold (after a
restart, before the operating system has the 20 GB archive in memory again) a
search of common words has taken longer than gunicorn's 30 s, and gunicorn then
kills the worker: the reader gets a dropped connection, no page, and the
statement runs on in PostgreSQL with nobody waiting (one ran for 30 minutes on
a full core). Under the limit PostgreSQL cancels the statement instead, and the
reader gets a page asking to try again or to narrow the search (503, with
Retry-After).
"""

import contextlib
import functools

from django.conf import settings
from django.db import DatabaseError, OperationalError, connections
from psycopg.errors import QueryCanceled

from archive.routers import read_alias


@contextlib.contextmanager
def statement_time_limit(alias: str, milliseconds: int | None = None):
    """Every statement on connection `alias` in this block is cancelled after `milliseconds`
    (default: the TIME_LIMIT_MS setting; 0 means none). Nested blocks restore the outer limit."""
    limit = settings.TIME_LIMIT_MS if milliseconds is None else milliseconds
    if not limit:
        yield
        return
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            # A session setting, not SET LOCAL: pages run in autocommit, one transaction per statement.
            cursor.execute(
                "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, false)",
                [f"{int(limit)}ms"],
            )
            previous = cursor.fetchone()[0]
    except DatabaseError:
        # The database is unreachable: the view meets the outage and answers 503 (DatabaseUnavailableMiddleware).
        yield
        return
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, false)", [previous])
        except DatabaseError:
            connection.close()  # unusable (or inside a failed transaction): the next request reconnects


def timed_out(error: Exception) -> bool:
    """Whether `error` is PostgreSQL cancelling a statement that ran past its time limit."""
    return isinstance(error, OperationalError) and isinstance(error.__cause__, QueryCanceled)


def time_limited(view):
    """Run `view` under the time limit on the connection its reads go to: the search views, whose reads
    may go to a replica (TimeLimitMiddleware covers the primary for every request)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with statement_time_limit(read_alias()):
            return view(*args, **kwargs)

    return wrapper
