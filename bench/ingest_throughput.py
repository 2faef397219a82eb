"""Ingest throughput: generate N texts, ingest them into a fresh embedded cluster, print articles/s.

    python bench/ingest_throughput.py [N] [--batch-size 200] [--keep]

One ingest process: extraction (parse) and loading (store) are timed
separately, then `manage.py ingest` runs on the same files in an emptied
archive. PostgreSQL runs in its own processes; its CPU time is read from
/proc and printed. A throwaway data directory is used, so the development
database is never touched.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def backend_cpu_seconds() -> float:
    """CPU time the database server process serving this connection has used (Linux /proc)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int, nargs="?", default=2000)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    texts = work / "texts"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate_texts.py"), str(texts), str(args.count)], check=True)
    os.environ["ARCHIVE_DATA_DIR"] = str(work / "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from archive import embedded_db
    from articles.extraction import extract_article
    from articles.loading import load_articles

    try:
        call_command("migrate", verbosity=0)
        files = sorted(texts.glob("*.txt"))
        count = len(files)
        started = time.perf_counter()
        extracted = [extract_article(f.read_text(encoding="utf-8"), file_name=f.name) for f in files]
        parse_seconds = time.perf_counter() - started

        started, backend = time.perf_counter(), backend_cpu_seconds()
        for index in range(0, len(extracted), args.batch_size):
            load_articles(extracted[index : index + args.batch_size])
        store_seconds = time.perf_counter() - started
        store_backend = backend_cpu_seconds() - backend

        # The command as an archivist runs it (reading files, duplicate checks, vocabulary), on an
        # empty archive again.
        call_command("flush", interactive=False, verbosity=0)
        started, cpu, backend = time.perf_counter(), time.process_time(), backend_cpu_seconds()
        call_command("ingest", str(texts), batch_size=args.batch_size, verbosity=0)
        command_seconds = time.perf_counter() - started
        command_cpu = time.process_time() - cpu
        command_backend = backend_cpu_seconds() - backend

        def ms(seconds: float) -> str:
            return f"{seconds * 1000 / count:.2f} ms"

        print(f"articles: {count}   batch size: {args.batch_size}   machine cores: {os.cpu_count()}")
        print(f"parse alone:              {count / parse_seconds:6.0f} articles/s  ({ms(parse_seconds)} each)")
        print(
            f"store alone:              {count / store_seconds:6.0f} articles/s  ({ms(store_seconds)} each; "
            f"PostgreSQL CPU {ms(store_backend)})"
        )
        print(f"parse then store:         {count / (parse_seconds + store_seconds):6.0f} articles/s")
        print(
            f"manage.py ingest:         {count / command_seconds:6.0f} articles/s  (ingest process CPU "
            f"{ms(command_cpu)}, PostgreSQL CPU {ms(command_backend)} per article)"
        )
    finally:
        from django.db import connections

        connections.close_all()
        embedded_db.remove(embedded_db.Cluster(work / "data"))
        if not args.keep:
            subprocess.run(["rm", "-rf", str(work)], check=False)


if __name__ == "__main__":
    main()
