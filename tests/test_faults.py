"""Faults: the database goes away under a running site and comes back; backup and restore round trip."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import psycopg
import pytest

from archive import embedded_db

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def deployment(tmp_path):
    """A second cluster reached through DATABASE_URL, like a real deployment, with the seeds loaded."""
    cluster = embedded_db.Cluster(tmp_path / "db")
    embedded_db.ensure_running(cluster)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://postgres@/archive?host={cluster.socket_dir}",
        "DJANGO_SECRET_KEY": "fault-test-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "ARCHIVE_DATA_DIR": str(tmp_path / "data"),
    }
    for command in (["migrate", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"], ["ingest", "seeds"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    yield cluster, env
    embedded_db.remove(cluster)


def test_database_restart_under_a_running_site(deployment):
    cluster, env = deployment
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "archive.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(f"{base}/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)

        embedded_db.stop(cluster)
        status, body = get(f"{base}/search/?q=chuyen+doi+so")
        assert status == 503
        assert "tạm thời gián đoạn" in body
        status, body = get(f"{base}/api/v1/years")
        assert status == 503
        assert "unavailable" in body

        embedded_db.ensure_running(cluster)
        statuses = [get(f"{base}/search/?q=chuyen+doi+so")[0] for _ in range(4)]  # both workers recover
        assert statuses == [200, 200, 200, 200]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_backup_and_restore_round_trip(deployment, tmp_path):
    cluster, env = deployment

    def manage(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)

    def counts():
        with psycopg.connect(cluster.conninfo()) as conn:
            return conn.execute(
                "SELECT (SELECT count(*) FROM articles_article), (SELECT count(*) FROM articles_quote),"
                " (SELECT count(*) FROM articles_historicalquote), (SELECT string_agg(title, '|' ORDER BY id)"
                " FROM articles_article)"
            ).fetchone()

    with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:  # someone is signed in
        conn.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date)"
            " VALUES ('a-signed-in-editors-key', 'secret', now() + interval '1 day')"
        )
    before = counts()
    backup = tmp_path / "archive.dump"
    assert manage("backup", str(backup)).returncode == 0
    assert backup.stat().st_mode & 0o777 == 0o600  # not readable by other local users
    sessions = subprocess.run(  # what a restore would write into the sessions table
        [cluster.bin_dir / "pg_restore", "--data-only", "--table=django_session", "--file=-", backup],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "a-signed-in-editors-key" not in sessions  # no valid login cookie in a backup
    with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
        conn.execute("TRUNCATE articles_article CASCADE")
    assert counts()[0] == 0

    restored = manage("restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert counts() == before
    assert manage("restore", str(tmp_path / "missing.dump")).returncode == 1


@pytest.fixture
def web_time_limit(transactional_db, settings):  # autocommit, as the site runs: no test transaction to abort
    """This process's connections limited as the web server's are (archive/wsgi.py), at 200 ms."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    from articles.time_limits import limit_this_process, set_time_limit

    settings.TIME_LIMIT_MS = 200
    limit_this_process()
    connection.close()  # the next statement opens a connection, which gets the limit
    yield
    connection_created.disconnect(set_time_limit, dispatch_uid="archive-time-limit")
    connection.close()  # the other tests' connections have none


def test_a_page_past_its_time_limit_says_so_and_frees_the_server(client, web_time_limit, monkeypatch):
    from django.db import connection

    from articles import overview
    from articles import search as engine

    real_search = engine.search

    def slow_search(params):  # a search on a cold server: its statement outlasts the limit
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(3)")

    monkeypatch.setattr(engine, "search", slow_search)
    started = time.monotonic()
    response = client.get("/search/", {"q": "chuyển đổi số"})
    assert time.monotonic() - started < 2  # cancelled at the limit, not after the 3 s sleep
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert "Tìm kiếm mất quá nhiều thời gian" in html
    assert 'value="chuyển đổi số"' in html  # the search, ready to be narrowed

    api = client.get("/api/v1/search", {"q": "chuyển đổi số"})
    assert api.status_code == 503
    assert "took too long" in api.json()["detail"]

    with connection.cursor() as cursor:  # the connection survives the cancellation, limit in place
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "200ms"
    monkeypatch.setattr(engine, "search", real_search)
    assert client.get("/search/", {"q": "chuyển đổi số"}).status_code == 200

    def slow_overview():  # any page: the speakers list counting on a cold server
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(3)")

    monkeypatch.setattr(overview, "current", slow_overview)
    response = client.get("/people/")
    assert response.status_code == 503
    assert "Trang mất quá nhiều thời gian" in response.content.decode()
