"""Scale benchmark: N synthetic articles, a fixed query mix, the archive over HTTP and its peers.

    python bench/scale.py [--articles 1000000] [--data-dir var/scale] [--requests 20] [--load-only]

One run:
1. loads the corpus into its own embedded cluster (`manage.py generate_corpus`,
   COPY path, 2 streams) unless that directory already holds it, and records
   the load rate;
2. starts gunicorn (2 sync workers, DEBUG off) and times each query class of
   the mix on /search/ (the page a user sees: results, counts, facets, chart)
   at concurrency 1 and 8, rotating several terms per class;
3. times the peers on the same corpus and the same terms:
   - floor: every SQL statement the page runs (results, counts, facets),
     replayed straight through psycopg;
   - SQLite FTS5 (standard library) and Tantivy (`tantivy` on PyPI, the
     `bench` extra: pip install -e '.[bench]'), both indexing title + body
     (exact, and folded for unaccented queries), year and speaker ids; they
     return the top 20 by their own rank (BM25), with no counts or facets;
   - a naive ILIKE scan (few runs; it takes seconds);
4. reads the gunicorn workers' peak memory, prints a table and writes JSON
   under docs/benchmarks/.
Peer indexes are built once per data directory and reused.
"""

import argparse
import http.client
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


BULK_LOAD_SETTINGS = {"max_wal_size": "16GB", "checkpoint_timeout": "30min", "wal_compression": "on"}


def server_settings() -> dict[str, str]:
    """The bench cluster's settings, as a DBA would set them on this machine: the load's (above) and
    shared_buffers at a quarter of the memory (PostgreSQL's default is 128 MB, which kept even the
    articles' heap, 1 GB at a million, in the OS cache and copied in page by page on every search)."""
    memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    return {**BULK_LOAD_SETTINGS, "shared_buffers": f"{memory_mb // 4}MB"}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict:
    if not values:
        return {}
    return {
        "n": len(values),
        "p50": round(statistics.median(values) * 1000, 2),
        "p95": round(percentile(values, 0.95) * 1000, 2),
        "p99": round(percentile(values, 0.99) * 1000, 2),
    }


# --- the query mix -------------------------------------------------------------------


def choose_terms(cursor, rng: random.Random) -> dict[str, list[str]]:
    """Terms per frequency class, read from the archive's own vocabulary counts."""
    cursor.execute("SELECT count(*) FROM articles_article")
    total = cursor.fetchone()[0]
    cursor.execute("SELECT word, ndoc FROM articles_vocabulary WHERE word ~ '^[[:alpha:]]+$'")
    vocabulary = cursor.fetchall()
    # Rare: in at most 0.1% of articles (a generated corpus reuses the seeds' vocabulary, so at a
    # million articles its rarest syllables are in a few hundred articles, not in five).
    rare = [w for w, n in vocabulary if 5 <= n <= max(200, 0.001 * total)]
    common = [w for w, n in vocabulary if 0.2 * total <= n <= 0.45 * total]
    rng.shuffle(rare)
    rng.shuffle(common)
    phrases = ["chuyển đổi", "kinh tế số", "doanh nghiệp", "truyền thông", "dữ liệu", "công nghệ số", "an toàn"]
    from articles.extraction.normalize import fold

    return {
        "rare word": rare[:8],
        "common word": common[:8],
        "two common words": [f"{a} {b}" for a, b in zip(common[8:16], common[16:24], strict=False)],
        "phrase of common syllables": [f'"{p}"' for p in phrases],
        "unaccented": [fold(p) for p in phrases],
    }


def most_quoted_speakers(cursor, limit: int = 20) -> list[str]:
    """The slugs of the speakers with the most quotes: the mix's speaker filters."""
    cursor.execute(
        "SELECT p.slug FROM articles_person p JOIN articles_quote q ON q.person_id = p.id "
        "GROUP BY p.slug ORDER BY count(*) DESC LIMIT %s",
        [limit],
    )
    return [row[0] for row in cursor.fetchall()]


def query_mix(terms: dict[str, list[str]], speakers: list[str]) -> list[tuple[str, dict]]:
    """(class name, request parameters): each class plain, with a year, with a speaker; quotes; page 50."""
    mix = []
    for name, values in terms.items():
        for value in values:
            mix.append((name, {"q": value}))
            mix.append((f"{name} + year", {"q": value, "year": str(2000 + len(value) % 26)}))
            mix.append((f"{name} + speaker", {"q": value, "speaker": speakers[len(value) % len(speakers)]}))
    for value in terms["common word"] + terms["phrase of common syllables"]:
        mix.append(("quote search", {"q": value, "type": "quote"}))
        mix.append(("page 50", {"q": value, "page": "50"}))
    # Syllables typed together read as a word (search.as_words); `apart=1` is the reading of before, with
    # every syllable anywhere, timed beside it on the same terms.
    for name in ("two common words", "unaccented"):
        for value in terms[name]:
            mix.append((f"{name}, anywhere", {"q": value, "apart": "1"}))
    return mix


def _megabytes(setting: str) -> int:
    number, unit = re.fullmatch(r"(\d+)\s*([kMGT]?B)", setting).groups()
    return int(number) * {"kB": 1, "MB": 1024, "GB": 1024**2, "TB": 1024**3}[unit] // 1024


# --- the archive over HTTP ---------------------------------------------------------------


def run_http(port: int, mix, concurrency: int, rounds: int) -> tuple[dict[str, list[float]], list]:
    timings: dict[str, list[float]] = {}
    errors: list = []
    work = [item for _ in range(rounds) for item in mix]
    random.Random(concurrency).shuffle(work)
    lock = threading.Lock()

    def user():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if not work:
                    return
                name, params = work.pop()
            started = time.perf_counter()
            try:
                connection.request("GET", f"/search/?{urlencode(params)}")
                response = connection.getresponse()
                response.read()
                if response.status == 302:  # syllables only apart: the reader lands on them, timed as one
                    connection.request("GET", response.getheader("Location"))
                    response = connection.getresponse()
                    response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append((type(exc).__name__, params))
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            elapsed = time.perf_counter() - started
            with lock:
                timings.setdefault(name, []).append(elapsed)
                if response.status != 200:
                    errors.append((response.status, params))

    threads = [threading.Thread(target=user) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors


# --- peers ------------------------------------------------------------------------------


def floor_timings(mix, rounds: int) -> dict[str, list[float]]:
    """Every SQL statement the page runs for a request (results, counts, facets, chart), as Django
    built it, replayed straight through psycopg, one after the other: the database's share, without
    Django, templates or HTTP. (The page runs some of them beside the others, on a second connection,
    articles/side_reads.py: captured here on one, so none is missed.)"""
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext, override_settings

    from articles.search import SearchParams, search

    statements = []
    for name, params in mix:
        with override_settings(SIDE_READS=False), CaptureQueriesContext(connection) as captured:
            results = search(SearchParams.from_querydict(QueryDict(urlencode(params))))
            list(results.page)
            if results.count == 0 and results.more_apart:  # the page sends the reader to apart=1
                list(search(SearchParams.from_querydict(QueryDict(urlencode({**params, "apart": "1"})))).page)
        statements.append((name, [query["sql"] for query in captured.captured_queries]))
    timings: dict[str, list[float]] = {}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for round_number in range(rounds + 1):  # round 0 warms caches, untimed
            for name, sqls in statements:
                started = time.perf_counter()
                for sql in sqls:
                    raw.execute(sql)
                    if raw.description is not None:  # not for SET and RESET
                        raw.fetchall()
                if round_number:
                    timings.setdefault(name, []).append(time.perf_counter() - started)
    return timings


def export_corpus(cursor, path: Path) -> None:
    """id, year, title + body, the same folded, speaker ids: what the peers index."""
    from articles.extraction.normalize import fold

    with path.open("w", encoding="utf-8") as out:
        cursor.execute(
            "SELECT id, extract(year FROM date)::int, title, body, speaker_ids FROM articles_article ORDER BY id"
        )
        while rows := cursor.fetchmany(5000):
            for article_id, year, title, body, speakers in rows:
                text = f"{title}\n{body}"
                out.write(json.dumps([article_id, year, text, fold(text), speakers], ensure_ascii=False) + "\n")


def build_fts5(corpus: Path, path: Path) -> float:
    started = time.perf_counter()
    database = sqlite3.connect(path)
    database.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(text, folded, speakers, year UNINDEXED, "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    with corpus.open(encoding="utf-8") as lines:
        batch = []
        for line in lines:
            article_id, year, text, folded, speakers = json.loads(line)
            batch.append((article_id, text, folded, " ".join(f"p{s}" for s in speakers), year))
            if len(batch) == 10_000:
                database.executemany(FTS5_INSERT, batch)
                batch = []
        database.executemany(FTS5_INSERT, batch)
    database.commit()
    database.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    database.commit()
    database.close()
    return time.perf_counter() - started


def _peer_query(value: str) -> tuple[str, bool]:
    """The query words for a peer (phrase kept), and whether it targets the folded field."""
    from articles.extraction.normalize import has_diacritics

    words = re.findall(r"[^\W_]+", value.lower())
    return " ".join(words), not any(has_diacritics(w) for w in words)


FTS5_INSERT = "INSERT INTO docs (rowid, text, folded, speakers, year) VALUES (?, ?, ?, ?, ?)"


def fts5_timings(path: Path, mix, rounds: int, speaker_ids: dict[str, int]) -> dict[str, list[float]]:
    database = sqlite3.connect(path)
    timings: dict[str, list[float]] = {}
    for round_number in range(rounds + 1):  # round 0 warms caches, untimed
        for name, params in mix:
            if name == "quote search":
                continue
            words, folded = _peer_query(params["q"])
            column = "folded" if folded else "text"
            expression = (
                f'{column} : "{words}"'
                if params["q"].startswith('"')
                else " AND ".join(f"{column} : {w}" for w in words.split())
            )
            if "speaker" in params:
                expression = f"({expression}) AND speakers : p{speaker_ids.get(params['speaker'], 0)}"
            offset = (int(params.get("page", 1)) - 1) * 20
            sql = "SELECT rowid FROM docs WHERE docs MATCH ?"
            args: list = [expression]
            if "year" in params:
                sql += " AND year = ?"
                args.append(int(params["year"]))
            sql += " ORDER BY rank LIMIT 20 OFFSET ?"
            args.append(offset)
            started = time.perf_counter()
            database.execute(sql, args).fetchall()
            if round_number:
                timings.setdefault(name, []).append(time.perf_counter() - started)
    return timings


def build_tantivy(corpus: Path, path: Path) -> float:
    import tantivy

    started = time.perf_counter()
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("speaker", indexed=True)
    builder.add_text_field("text", stored=False)
    builder.add_text_field("folded", stored=False)
    schema = builder.build()
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(heap_size=1_000_000_000, num_threads=2)
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            article_id, year, text, folded, speakers = json.loads(line)
            writer.add_document(
                tantivy.Document(id=article_id, year=year or 0, text=text, folded=folded, speaker=speakers)
            )
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - started


def tantivy_timings(path: Path, mix, rounds: int, speaker_ids: dict[str, int]) -> dict[str, list[float]]:
    import tantivy

    index = tantivy.Index.open(str(path))
    index.reload()
    searcher = index.searcher()
    timings: dict[str, list[float]] = {}
    for round_number in range(rounds + 1):  # round 0 warms caches, untimed
        for name, params in mix:
            if name == "quote search":
                continue
            words, folded = _peer_query(params["q"])
            field = "folded" if folded else "text"
            text = (
                f'{field}:"{words}"'
                if params["q"].startswith('"')
                else " AND ".join(f"{field}:{w}" for w in words.split())
            )
            if "year" in params:
                text = f"({text}) AND year:{params['year']}"
            if "speaker" in params:
                text = f"({text}) AND speaker:{speaker_ids.get(params['speaker'], 0)}"
            offset = (int(params.get("page", 1)) - 1) * 20
            started = time.perf_counter()
            query = index.parse_query(text, [field])
            hits = searcher.search(query, 20, offset=offset).hits
            assert isinstance(hits, list)
            if round_number:
                timings.setdefault(name, []).append(time.perf_counter() - started)
    return timings


ILIKE_TIMEOUT_SECONDS = 30


def ilike_timings(mix) -> dict[str, list[float]]:
    """One run per class; a scan cancelled at the timeout is recorded as the timeout (a lower bound)."""
    from django.db import OperationalError, connection

    timings: dict[str, list[float]] = {}
    seen = set()
    for name, params in mix:
        if name in seen or "+" in name or name in ("quote search", "page 50"):
            continue
        seen.add(name)
        words = re.findall(r"[^\W_]+", params["q"])
        condition = " AND ".join(["body ILIKE %s"] * len(words))
        started = time.perf_counter()
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = '{ILIKE_TIMEOUT_SECONDS}s'")
                cursor.execute(
                    f"SELECT id FROM articles_article WHERE {condition} ORDER BY date DESC LIMIT 20",
                    [f"%{w}%" for w in words],
                )
                cursor.fetchall()
            elapsed = time.perf_counter() - started
        except OperationalError:  # statement timeout
            elapsed = float(ILIKE_TIMEOUT_SECONDS)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
        timings.setdefault(name, []).append(elapsed)
    return timings


# --- the run ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "scale")
    parser.add_argument("--requests", type=int, default=3, help="rounds of the whole mix per concurrency level")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--load-only", action="store_true", help="load the corpus (and record its rate), then stop")
    args = parser.parse_args()

    data_dir = args.data_dir.resolve()
    env = {
        **os.environ,
        "ARCHIVE_DATA_DIR": str(data_dir),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "ARCHIVE_SEARCH_RATE_LIMIT": "100000000",
        "ARCHIVE_API_RATE_LIMIT": "100000000",
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles.management.commands.prewarm import prewarm

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_article")
        present = cursor.fetchone()[0]
    result: dict = {
        "date": time.strftime("%Y-%m-%d"),
        "machine_cores": os.cpu_count(),
        "articles": args.articles,
    }
    load_log = data_dir / "load.json"
    # The bench's own cluster, tuned as a DBA would: with the default 1 GB of WAL between checkpoints,
    # a checkpoint every ~20 s made every index page touched after it write a full-page image (30 GB
    # written per loader for 650,000 articles, the disk the bottleneck).
    settings = server_settings()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('shared_buffers')")
        shared_buffers = cursor.fetchone()[0]
        for name, value in settings.items():
            cursor.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        cursor.execute("SELECT pg_reload_conf()")
    if _megabytes(shared_buffers) != _megabytes(settings["shared_buffers"]):
        from archive import embedded_db

        connection.close()
        cluster = embedded_db.Cluster(data_dir)
        embedded_db.stop(cluster)  # shared_buffers takes a restart
        embedded_db.ensure_running(cluster)
    result["server_settings"] = settings
    if present < args.articles:
        started = time.perf_counter()
        call_command("generate_corpus", args.articles - present, start=present, workers=2)
        seconds = time.perf_counter() - started
        load_log.write_text(json.dumps({"articles": args.articles - present, "seconds": round(seconds, 1)}))
    elif present > args.articles:
        sys.exit(f"{data_dir} holds {present} articles, more than --articles {args.articles}")
    if args.load_only:
        return
    with connection.cursor() as cursor:
        # Fresh statistics at the target migration 0011 sets, or the planner guesses frequencies; the
        # occurrences' pages marked all-visible, so a quote's articles come from its index alone
        # (migration 0016), as autovacuum would mark them some time after a load.
        # One by one: VACUUM cannot run in the transaction that a list of statements makes.
        for table in ("articles_article", "articles_quote"):
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("VACUUM (ANALYZE) articles_quoteoccurrence")
    if load_log.exists():
        load = json.loads(load_log.read_text())
        result["ingest_copy"] = {**load, "articles_per_second": round(load["articles"] / load["seconds"])}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_database_size(current_database())), "
            "(SELECT count(*) FROM articles_article), (SELECT count(*) FROM articles_quote), "
            "(SELECT count(*) FROM articles_person)"
        )
        size, articles, quotes, people = cursor.fetchone()
        result["corpus"] = {"database": size, "articles": articles, "quotes": quotes, "speakers": people}
        rng = random.Random(8)
        terms = choose_terms(cursor, rng)
        speakers = most_quoted_speakers(cursor)
        cursor.execute("SELECT slug, id FROM articles_person WHERE slug = ANY(%s)", [speakers])
        speaker_ids = dict(cursor.fetchall())
    mix = query_mix(terms, speakers)
    result["terms"] = terms
    result["prewarmed"] = prewarm(connection)
    connection.close()

    # What `run.py serve` prepares before gunicorn: without the static manifest every page is a 500.
    call_command("compile_translations", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    port = 8765
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "archive.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)
        # One untimed round of the whole mix, as the peers get: the first touch of a term reads pages
        # the prewarm could not keep (the working set is most of this machine's memory), and a cold
        # disk read turned single requests into seconds (c1 p95 up to 30 s in the first run).
        _, errors = run_http(port, mix, 2, 1)
        if errors:
            # A first touch may outlast gunicorn's 30 s timeout on a cold disk; a page that fails again
            # once warm is broken.
            _, errors = run_http(port, [("retry", params) for _, params in errors], 1, 1)
        if errors:
            # A page that fails answers fast: its timings would be meaningless.
            sys.exit(f"the server answered the warm-up with errors, nothing timed: {errors[:3]}")
        result["http"] = {}
        for concurrency in (1, 8):
            timings, errors = run_http(port, mix, concurrency, args.requests)
            result["http"][f"c{concurrency}"] = {name: summary(values) for name, values in timings.items()}
            result["http"][f"c{concurrency}_errors"] = dict(Counter(str(kind) for kind, _ in errors))
        workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        peaks = []
        for pid in workers:
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+)", status)[1]) // 1024)
        result["worker_peak_memory_mb"] = peaks
    finally:
        server.terminate()
        server.wait(timeout=30)

    save(result)
    result["floor"] = {name: summary(v) for name, v in floor_timings(mix, args.requests).items()}
    save(result)
    if not args.no_peers:
        peers = data_dir / "peers"
        peers.mkdir(exist_ok=True)
        corpus = peers / "corpus.jsonl"
        if not (peers / "done").exists():
            with connection.cursor() as cursor:
                export_corpus(cursor, corpus)
            build = {"fts5_seconds": round(build_fts5(corpus, peers / "fts5.sqlite"), 1)}
            build["tantivy_seconds"] = round(build_tantivy(corpus, peers / "tantivy"), 1)
            (peers / "done").write_text(json.dumps(build))
        result["peer_build"] = json.loads((peers / "done").read_text())
        fts5 = fts5_timings(peers / "fts5.sqlite", mix, args.requests, speaker_ids)
        result["fts5"] = {name: summary(values) for name, values in fts5.items()}
        tantivy = tantivy_timings(peers / "tantivy", mix, args.requests, speaker_ids)
        result["tantivy"] = {name: summary(values) for name, values in tantivy.items()}
        save(result)
        result["ilike"] = {n: summary(v) for n, v in ilike_timings(mix).items()}
        result["ilike_timeout_seconds"] = ILIKE_TIMEOUT_SECONDS

    print_table(result)
    print(f"written to {save(result).relative_to(ROOT)}")


def save(result: dict) -> Path:
    """Write what is measured so far, so a failure late in a long run loses nothing."""
    target = ROOT / "docs" / "benchmarks" / f"scale-{result['date']}.json"
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def print_table(result: dict) -> None:
    names = list(result["http"]["c1"])
    columns = [("http c1", result["http"]["c1"]), ("http c8", result["http"]["c8"]), ("floor", result["floor"])]
    for peer in ("fts5", "tantivy", "ilike"):
        if peer in result:
            columns.append((peer, result[peer]))
    print(f"{'query class (ms)':<38}" + "".join(f"{label:>22}" for label, _ in columns))
    print(f"{'':<38}" + "".join(f"{'p50 / p95 / p99':>22}" for _ in columns))
    for name in sorted(names):
        cells = []
        for _, data in columns:
            row = data.get(name)
            cells.append(f"{row['p50']:.1f}/{row['p95']:.1f}/{row['p99']:.1f}" if row else "-")
        print(f"{name:<38}" + "".join(f"{cell:>22}" for cell in cells))
    print(f"worker peak memory (MB): {result.get('worker_peak_memory_mb')}; ingest: {result.get('ingest_copy')}")


if __name__ == "__main__":
    main()
