"""Hostile and malformed input to ingest: a clear message or correct handling, nothing half-stored."""

import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive import embedded_db
from articles.extraction import extract_article
from articles.models import Article, Person, Quote

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bad_input"
pytestmark = pytest.mark.django_db


def embedded_env(data_dir: Path) -> dict[str, str]:
    """Environment for a child process that uses its own embedded cluster, whatever this run uses."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "ARCHIVE_DATA_DIR": str(data_dir)}


def ingest(path) -> tuple[str, str, bool]:
    out, err = StringIO(), StringIO()
    try:
        call_command("ingest", str(path), stdout=out, stderr=err)
        failed = False
    except CommandError:
        failed = True
    return out.getvalue(), err.getvalue(), failed


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("windows-1258.txt", "is not UTF-8"),
        ("latin-1.txt", "is not UTF-8"),
        ("binary.txt", "NUL bytes"),
        ("nul-bytes.txt", "NUL bytes"),
        ("empty.txt", "is empty"),
        ("whitespace-only.txt", "is empty"),
        ("english.txt", "not Vietnamese"),
    ],
)
def test_rejected_with_its_path_and_reason_and_nothing_stored(fixture, reason):
    _, err, failed = ingest(FIXTURES / fixture)
    assert failed
    assert f"rejected {FIXTURES / fixture}: " in err
    assert reason in err
    assert Article.objects.count() == Person.objects.count() == Quote.objects.count() == 0


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB of disk writes
    started = time.monotonic()
    _, err, failed = ingest(huge)
    assert failed
    assert "too large (52,428,800 bytes; the limit is 5,242,880)" in err
    assert time.monotonic() - started < 5


def test_decomposed_vietnamese_is_stored_composed():
    ingest(FIXTURES / "decomposed-nfd.txt")
    article = Article.objects.get()
    assert "Phó Thủ tướng" in article.body  # NFC, so it compares and searches like any other text
    assert article.date.isoformat() == "2021-01-12"
    assert Quote.objects.get(direct=True).person.name == "Vũ Đức Đam"


def test_pre_tokenised_text_reads_underscores_as_spaces():
    ingest(FIXTURES / "pre-tokenised.txt")
    article = Article.objects.get()
    assert "Thủ_tướng" in article.raw_text  # stored as received
    assert Quote.objects.get(direct=True).person.name == "Vũ Đức Đam"
    assert article.date.isoformat() == "2021-01-12"


def test_an_html_page_becomes_its_text():
    ingest(FIXTURES / "html-page.txt")
    article = Article.objects.get()
    assert "<p>" not in article.body
    assert "dataLayer" not in article.body
    assert "Trang chủ" not in article.body  # navigation dropped
    assert article.source.name == "HNMO"
    assert Quote.objects.get(direct=True).person.name == "Vũ Đức Đam"


def test_exit_codes(tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.txt").write_text((ROOT / "seeds" / "002_6a4529331a59e7d7.txt").read_text(), encoding="utf-8")
    env = embedded_env(tmp_path / "data")

    def run(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)

    assert run("migrate", "-v", "0").returncode == 0
    assert run("ingest", str(good)).returncode == 0  # everything stored
    assert run("ingest", str(FIXTURES / "empty.txt")).returncode == 1  # a file rejected
    assert run("ingest", "--batch-size", "zero", str(good)).returncode == 2  # usage error
    embedded_db.remove(embedded_db.Cluster(tmp_path / "data"))


def test_sigkill_mid_directory_leaves_only_whole_articles_and_a_rerun_completes(tmp_path):
    texts = tmp_path / "texts"
    subprocess.run(
        [sys.executable, "bench/generate_texts.py", str(texts), "1500"], cwd=ROOT, check=True, capture_output=True
    )
    cluster = embedded_db.Cluster(tmp_path / "data")
    env = embedded_env(cluster.data_dir)
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        embedded_db.ensure_running(cluster)
        process = subprocess.Popen(
            [sys.executable, "manage.py", "ingest", "--batch-size", "50", str(texts)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
            deadline = time.monotonic() + 120
            while conn.execute("SELECT count(*) FROM articles_article").fetchone()[0] < 200:
                assert time.monotonic() < deadline, "ingest made no progress"
                time.sleep(0.05)
            process.send_signal(signal.SIGKILL)
            process.wait()
            stored = conn.execute("SELECT file_name, id FROM articles_article").fetchall()
            occurrences = dict(
                conn.execute("SELECT article_id, count(*) FROM articles_quoteoccurrence GROUP BY article_id").fetchall()
            )
        assert 200 <= len(stored) < 1500
        for file_name, article_id in stored:  # each stored article has all of its quotes: whole, not half
            extracted = extract_article((texts / file_name).read_text(encoding="utf-8"), file_name=file_name)
            assert occurrences.get(article_id, 0) == len(extracted.quotes), file_name

        rerun = subprocess.run(
            [sys.executable, "manage.py", "ingest", str(texts)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert rerun.returncode == 0, rerun.stderr
        assert f"{1500 - len(stored)} created, 0 updated, {len(stored)} unchanged, 0 rejected" in rerun.stdout
    finally:
        embedded_db.remove(cluster)
