"""Plan choices for the few statements whose row estimates PostgreSQL gets wrong, set around them alone."""

from contextlib import contextmanager

from django.db import connections

from archive.routers import read_alias


@contextmanager
def without(method: str, *, using: str | None = None):
    """Run the enclosed statements on the read connection (or `using`) with one scan method
    (`seqscan`, `bitmapscan`) discouraged, then restore the server's setting. Only a name
    PostgreSQL knows is interpolated; no user input reaches it."""
    if method not in ("seqscan", "bitmapscan"):
        raise ValueError(f"unknown scan method: {method}")
    connection = connections[using or read_alias()]
    with connection.cursor() as cursor:
        cursor.execute(f"SET enable_{method} = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"RESET enable_{method}")
