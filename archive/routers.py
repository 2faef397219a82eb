"""Search traffic to a PostgreSQL streaming replica: a Django database router.

When DATABASE_REPLICA_URL names a replica (a hot standby fed by streaming
replication), the reads of a search (the search page, the API's search and
export) go to it, so a burst of searches cannot slow the editors' admin or an
ingest on the primary. Everything else stays on the primary: writes, the
admin and every other page, because they must read what was just written,
and a replica may be a moment behind.

Reads go to the replica only inside `replica_reads()`, never by default: the
router cannot tell a search from an editor's form, the view can. If the
replica cannot be reached, `reads_from_replica` answers the request from the
primary instead of failing it.
"""

import contextlib
import contextvars
import functools
import logging

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

REPLICA = "replica"
logger = logging.getLogger(__name__)
_reading_from_replica = contextvars.ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextlib.contextmanager
def replica_reads():
    """Send the ORM's reads in this block to the replica (when one is configured)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def read_alias() -> str:
    """The database alias reads go to here and now (for raw SQL, which no router sees)."""
    return REPLICA if _reading_from_replica.get() and replica_configured() else DEFAULT_DB_ALIAS


def reads_from_replica(view):
    """Run a read-only view against the replica; if the replica is unreachable, against the primary."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not replica_configured():
            return view(*args, **kwargs)
        try:
            with replica_reads():
                return view(*args, **kwargs)
        except OperationalError:
            if _reachable(REPLICA):
                raise  # the replica works: the error is the query's, not the replica's
            logger.warning("search replica unreachable; answering from the primary", exc_info=True)
            connections[REPLICA].close()
            return view(*args, **kwargs)

    return wrapper


def _reachable(alias: str) -> bool:
    connection = connections[alias]
    try:
        connection.ensure_connection()
    except OperationalError:
        return False
    return connection.is_usable()


class SearchReplicaRouter:
    """Reads inside `replica_reads()` from the replica; all else, and every write, on the primary."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's very rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # a replica is read-only: it receives the schema by replication
