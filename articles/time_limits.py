"""A time limit on the web server's SQL, so a page the server cannot answer in time says so.

Warm, a search at a million articles takes tens of milliseconds. Cold (after a
restart, before the operating system has the 20 GB archive in memory again) a
search of common words has taken longer than gunicorn's 30 s, and gunicorn then
kills the worker: the reader gets a dropped connection, no page, and the
statement runs on in PostgreSQL with nobody waiting (one ran for 30 minutes on
a full core). With the limit PostgreSQL cancels the statement instead, and the
reader gets a page asking to try again or to narrow the search (503, with
Retry-After, from DatabaseUnavailableMiddleware).

The limit is set on each database connection the web server opens (primary and
replica alike), by `limit_this_process()` in `archive/wsgi.py` and
`archive/asgi.py`: management commands (migrations, loads, prewarm) are not
limited, and a page that reads nothing from the database opens no connection.
"""

from django.conf import settings
from django.db import OperationalError
from django.db.backends.signals import connection_created
from psycopg.errors import QueryCanceled


def set_time_limit(sender, connection, **kwargs) -> None:
    """Receiver of `connection_created`: the TIME_LIMIT_MS setting as the connection's statement_timeout."""
    if settings.TIME_LIMIT_MS and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{int(settings.TIME_LIMIT_MS)}ms"])


def limit_this_process() -> None:
    """Every connection this process opens from now on gets the limit (the web server's processes)."""
    connection_created.connect(set_time_limit, dispatch_uid="archive-time-limit")


def timed_out(error: Exception) -> bool:
    """Whether `error` is PostgreSQL cancelling a statement that ran past its time limit."""
    return isinstance(error, OperationalError) and isinstance(error.__cause__, QueryCanceled)
