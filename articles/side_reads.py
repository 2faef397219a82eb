"""Reads a page runs beside its main statement, on a second database connection.

A search page's statements are mostly independent of each other: the other tab's count and the
facet counts do not need the page's ranked rows, nor the rows the counts. Run one after the other
on one connection, a page of a phrase and a speaker at a million articles spent 45 ms ranking its
page, then 21 ms counting the other tab and 11 ms its facets, while the machine's second core idled
(PostgreSQL runs each connection's statements in a process of its own). `SideReads.read()` hands such
a read to one thread per web process, whose own connection (Django's connections are per thread) runs
it while the request's thread runs the main statement; `.result()` waits for it.

The read runs inline instead, as before, when the request's connection is inside a transaction: a
second connection cannot see its uncommitted writes (the tests run in transactions), and it would
read from another snapshot than the rest of the transaction. The thread's connection follows the
same settings as the request's (CONN_MAX_AGE, health checks, the web server's statement time limit
from `connection_created`), and the read sees the request's replica choice (archive.routers).

One thread per process fits gunicorn's sync workers (one request at a time). Under a threaded
server the process's requests share it, and their reads beside the page wait for each other.
A request that fails abandons its reads (`SideReads`): queued ones are dropped and a running
statement is cancelled, so the next request does not wait behind them.
"""

import concurrent.futures
import contextlib
import contextvars
import functools
import os
import threading

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connections

from archive.routers import read_alias

_lock = threading.Lock()
_executor: tuple[int, concurrent.futures.ThreadPoolExecutor] | None = None
_side_connections: list = []  # the side thread's connection wrappers, for cancelling its statement


def _thread_pool() -> concurrent.futures.ThreadPoolExecutor:
    """This process's pool; a worker forked from a process that had one starts its own (threads do
    not survive a fork)."""
    global _executor
    with _lock:
        if _executor is None or _executor[0] != os.getpid():
            pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-side-read")
            _executor = (os.getpid(), pool)
        return _executor[1]


class _Done:
    """A read already run inline, with the future's `.result()`."""

    def __init__(self, function, args, kwargs):
        self._value = function(*args, **kwargs)

    def result(self):
        return self._value


class Abandoned(Exception):
    """Raised in the side thread for a statement of a read whose request gave up on it."""


def _unless_abandoned(abandoned: threading.Event, execute, sql, params, many, context):
    # A Django execute wrapper: a read abandoned before its statement starts runs none.
    if abandoned.is_set():
        raise Abandoned
    return execute(sql, params, many, context)


def _on_this_threads_connections(abandoned: threading.Event, function, args, kwargs):
    global _side_connections
    _side_connections = connections.all()  # this thread's wrappers (none connects until used)
    # What Django does around each request, done around each read: a connection past CONN_MAX_AGE
    # or broken by an error is closed and the next statement reconnects.
    close_old_connections()
    try:
        with contextlib.ExitStack() as wrapped:
            for connection in _side_connections:
                wrapped.enter_context(connection.execute_wrapper(functools.partial(_unless_abandoned, abandoned)))
            return function(*args, **kwargs)
    finally:
        close_old_connections()


class SideReads:
    """The reads one request starts beside its own statements (`read()`); leaving the block by an
    error abandons those it no longer waits for. Left to run, they would hold the side
    thread for up to the time limit each (a search timing out on a cold server leaves its counts
    queued), and the worker's next request would wait behind them past gunicorn's timeout."""

    def __init__(self):
        self.reads: list = []
        self.abandoned = threading.Event()

    def __enter__(self) -> "SideReads":
        return self

    def read(self, function, *args, **kwargs):
        """Start `function(*args, **kwargs)`, a read-only database call, beside the caller's
        statements; the returned object's `.result()` gives its value or raises its error."""
        in_transaction = any(connections[alias].in_atomic_block for alias in {DEFAULT_DB_ALIAS, read_alias()})
        if in_transaction or not settings.SIDE_READS:
            started = _Done(function, args, kwargs)
        else:
            context = contextvars.copy_context()  # the request's replica choice
            call = (context.run, _on_this_threads_connections, self.abandoned, function, args, kwargs)
            started = _thread_pool().submit(*call)
        self.reads.append(started)
        return started

    def __exit__(self, kind, error, traceback) -> bool:
        if kind is not None:
            self.abandon()
        return False

    def abandon(self) -> None:
        """Queued reads are dropped, one about to run a statement runs none, and a statement running
        for one is cancelled."""
        self.abandoned.set()
        running = [read for read in self.reads if isinstance(read, concurrent.futures.Future) and not read.cancel()]
        if any(not read.done() for read in running):
            for wrapper in _side_connections:
                if wrapper.connection is not None:
                    wrapper.connection.cancel_safe(timeout=5)  # psycopg: callable from another thread
