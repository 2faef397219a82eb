"""`python -m archive.embedded_db start|stop|status|url`: manage the embedded server by hand."""

import os
import sys
from pathlib import Path

from archive import embedded_db


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "status"
    binaries = os.environ.get("ARCHIVE_PG_BINARIES")  # another installation, e.g. /usr/lib/postgresql/15/bin
    cluster = embedded_db.Cluster(embedded_db.default_data_dir(), binaries=Path(binaries) if binaries else None)
    if action == "start":
        started = embedded_db.ensure_running(cluster)
        print(f"{'started' if started else 'already running'}: {cluster.pgdata}")
    elif action == "stop":
        stopped = embedded_db.stop(cluster)
        print(f"{'stopped' if stopped else 'not running'}: {cluster.pgdata}")
    elif action == "status":
        print(f"{'running' if embedded_db.is_running(cluster) else 'stopped'}: {cluster.pgdata}")
    elif action == "url":
        print(f"postgresql://{embedded_db.SUPERUSER}@/{embedded_db.DATABASE_NAME}?host={cluster.socket_dir}")
    else:
        print(f"unknown action {action!r}; use start, stop, status or url", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
