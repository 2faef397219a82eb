"""A time limit on a search's SQL, so a search the server cannot answer in time gets a page that says so.

Warm, a search at a million articles takes tens of milliseconds. Cold (after a
restart, before the operating system has the 20 GB archive in memory again) a
search of common words has taken longer than gunicorn's 30 s, and gunicorn then
kills the worker: the reader gets a broken connection, no page. Under the limit
PostgreSQL cancels the statement instead, and the page asks the reader to try
again or to narrow the search (503, with Retry-After).
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
    (default: the SEARCH_TIME_LIMIT_MS setting; 0 means none)."""
    limit = settings.SEARCH_TIME_LIMIT_MS if milliseconds is None else milliseconds
    connection = connections[alias]
    if not limit:
        yield
        return
    with connection.cursor() as cursor:
        # A session setting, not SET LOCAL: the search runs in autocommit, one transaction per statement.
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{int(limit)}ms"])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
        except DatabaseError:
            connection.close()  # unusable (or inside a failed transaction): the next request reconnects


def timed_out(error: Exception) -> bool:
    """Whether `error` is PostgreSQL cancelling a statement that ran past its time limit."""
    return isinstance(error, OperationalError) and isinstance(error.__cause__, QueryCanceled)


def time_limited(view):
    """Run `view` under the search time limit, on the connection its reads go to (primary or replica)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with statement_time_limit(read_alias()):
            return view(*args, **kwargs)

    return wrapper
