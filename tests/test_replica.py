"""Search reads from a real streaming replica (archive/routers.py); the admin and writes never do.

The replica is made with pg_basebackup from the test cluster and runs as a hot
standby. Pausing its WAL replay freezes what it shows, so a change made on the
primary meanwhile tells, page by page, which database answered.
"""

import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from archive import embedded_db
from archive.routers import REPLICA, replica_reads
from articles.models import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA]),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "archive.embedded_db",
        reason="makes its replica from the embedded cluster's own binaries (pg_basebackup)",
    ),
]


def on_replica(sql: str):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def wait_for_replay(timeout: float = 30) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while on_replica(f"SELECT pg_last_wal_replay_lsn() < '{target}'::pg_lsn"):
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup, django_db_blocker, tmp_path_factory):
    """Module-scoped, so the alias exists before the test case is set up and may be declared in it."""
    with django_db_blocker.unblock():
        primary = embedded_db.default_cluster()
        standby = embedded_db.start_replica(primary, tmp_path_factory.mktemp("replica"))
        connections.settings[REPLICA] = {
            **connection.settings_dict,
            "ENGINE": "django.db.backends.postgresql",
            "HOST": str(standby.socket_dir),
            "CONN_MAX_AGE": 0,
            "TEST": {**connection.settings_dict["TEST"], "MIRROR": DEFAULT_DB_ALIAS},  # never flushed: read-only
        }
        try:
            yield standby
        finally:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
            embedded_db.remove(standby)


def test_search_reads_the_replica_and_everything_else_the_primary(client):
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())
    wait_for_replay()
    assert on_replica("SELECT pg_is_in_recovery()")
    article = Article.objects.get(file_name__startswith="003")
    old_title = article.title
    on_replica("SELECT pg_wal_replay_pause()::text")

    article.title = "Tiêu đề mới trên máy chủ chính"
    article.save()

    search = client.get("/search/", {"q": "chuyển đổi số"}).content.decode()
    api = client.get("/api/v1/search", {"q": "chuyển đổi số"}).json()
    detail = client.get(article.get_absolute_url()).content.decode()
    assert "Tiêu đề mới trên máy chủ chính" not in search  # the replica, frozen before the edit
    assert old_title in {item["title"] for item in api["results"]}
    assert "Tiêu đề mới trên máy chủ chính" in detail  # the primary

    with replica_reads():  # writes go to the primary even inside a search
        Article.objects.filter(pk=article.pk).update(title="Tiêu đề thứ hai")
    on_replica("SELECT pg_wal_replay_resume()::text")
    wait_for_replay()
    api = client.get("/api/v1/search", {"q": "chuyển đổi số"}).json()
    assert "Tiêu đề thứ hai" in {item["title"] for item in api["results"]}


def test_search_answers_from_the_primary_when_the_replica_is_down(client):
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())
    replica = connections[REPLICA]
    replica.close()
    reachable_at = replica.settings_dict["HOST"]
    replica.settings_dict["HOST"] = "/nonexistent"  # as if the replica's server were gone
    try:
        response = client.get("/search/", {"q": "chuyển đổi số"})
    finally:
        replica.settings_dict["HOST"] = reachable_at

    assert response.status_code == 200
    assert "Phạm Minh Chính" in response.content.decode()
