"""Django database backend for the embedded PostgreSQL: the stock backend, plus
"start the server if it is not running" before connecting."""

import atexit
import threading

from django.db.backends.postgresql import base

from archive import embedded_db

_start_lock = threading.Lock()
_stop_registered = False


def _stop_at_exit() -> None:
    from django.db import connections

    connections.close_all()
    embedded_db.stop_if_idle()


def _ensure_server() -> None:
    global _stop_registered
    with _start_lock:
        started_here = embedded_db.ensure_running()
        if started_here and not _stop_registered:
            # This process brought the server up for its own needs (a test run,
            # a one-off command): take it down again unless others use it.
            atexit.register(_stop_at_exit)
            _stop_registered = True


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if not embedded_db.is_running():
            _ensure_server()
        try:
            return super().get_new_connection(conn_params)
        except base.Database.OperationalError:
            # The server went away between the check and the connect (stopped,
            # crashed, restarted): bring it back once, then let errors surface.
            _ensure_server()
            return super().get_new_connection(conn_params)
