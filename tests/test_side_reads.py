"""A search page's counts run on a second connection, beside its ranking (articles/side_reads.py).

These tests commit their records (transactional_db), as the site runs: inside a test's
transaction the counts run inline, since a second connection could not see its writes.
"""

import re
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEARCHES = [
    {"q": "chuyển đổi số"},
    {"q": "chuyen doi so", "speaker": "nguyen-manh-hung"},
    {"q": "dữ liệu", "type": "quote"},
    {"q": '"kinh tế số"', "year": "2022", "sort": "newest"},
]


@pytest.fixture
def committed_seeds(transactional_db):
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())


def page(client, settings, params: dict, *, side_reads: bool) -> tuple[str, list[str]]:
    """The page's HTML and the statements the request's own connection ran."""
    settings.SIDE_READS = side_reads
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/", params)
    assert response.status_code == 200
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())  # one per response
    return html, [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("params", SEARCHES)
def test_the_counts_run_beside_the_ranking_and_the_page_reads_the_same(committed_seeds, client, settings, params):
    beside, on_the_request = page(client, settings, params, side_reads=True)
    in_turn, all_statements = page(client, settings, params, side_reads=False)
    assert beside == in_turn
    # The other tab's count is one of the reads run beside: not on the request's connection then.
    other_table = "articles_article" if params.get("type") == "quote" else "articles_quote"
    other_tab = [sql for sql in all_statements if sql.startswith("SELECT COUNT(*)") and other_table in sql]
    assert other_tab
    assert not set(other_tab) & set(on_the_request)
    assert len(on_the_request) < len(all_statements)


@pytest.fixture
def web_time_limit(transactional_db, settings):
    """This process's connections limited as the web server's are (archive/wsgi.py), at 200 ms."""
    from django.db.backends.signals import connection_created

    from articles.time_limits import limit_this_process, set_time_limit

    settings.TIME_LIMIT_MS = 200
    limit_this_process()
    connection.close()
    yield
    connection_created.disconnect(set_time_limit, dispatch_uid="archive-time-limit")
    connection.close()


def test_a_count_beside_the_page_past_the_time_limit_gives_the_too_slow_page(client, web_time_limit, monkeypatch):
    from django.db import connections

    from archive.routers import read_alias
    from articles import search as engine

    on_the_request = []

    def slow_count(*args, **kwargs):  # the other tab's count (and the other reading's) on a cold server
        on_the_request.append(connections[read_alias()] is connection)
        with connections[read_alias()].cursor() as cursor:
            cursor.execute("SELECT pg_sleep(3)")

    monkeypatch.setattr(engine, "_estimate", slow_count)
    started = time.monotonic()
    response = client.get("/search/", {"q": "chuyển đổi số"})
    assert time.monotonic() - started < 2  # the side connection has the limit too
    assert on_the_request  # the other tab's count, and the other reading's
    assert not any(on_the_request)  # every one ran beside the page
    assert response.status_code == 503
    assert "Tìm kiếm mất quá nhiều thời gian" in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("failing", ["before the count starts", "while the count runs"])
def test_a_failed_search_cancels_its_reads_beside_it_so_the_next_search_does_not_wait(monkeypatch, failing):
    from django.db import connections

    from archive.routers import read_alias
    from articles import search as engine
    from articles.side_reads import SideReads

    def slow_count(*args, **kwargs):  # the other tab's count on a cold server, with no time limit
        with connections[read_alias()].cursor() as cursor:
            cursor.execute("SELECT pg_sleep(10)")

    def running() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(10)'")
            return cursor.fetchone()[0] > 0

    def failing_counts(*args, **kwargs):  # the page's own statement failing meanwhile
        if failing == "while the count runs":
            deadline = time.monotonic() + 5
            while not running() and time.monotonic() < deadline:
                time.sleep(0.02)
            assert running()
        raise RuntimeError("the page's statement failed")

    monkeypatch.setattr(engine, "_estimate", slow_count)
    monkeypatch.setattr(engine, "count_facets", failing_counts)
    with pytest.raises(RuntimeError):
        engine.search(engine.SearchParams(q="chuyển đổi số"))
    started = time.monotonic()
    assert SideReads().read(lambda: "free").result() == "free"
    assert time.monotonic() - started < 5  # the 10 s statement was cancelled, not waited for
