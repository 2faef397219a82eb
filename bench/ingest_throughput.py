"""Ingest throughput: generate N texts, ingest them into a fresh embedded cluster, print articles/s.

    python bench/ingest_throughput.py [N] [--batch-size 200] [--keep]

Runs in one process on one core: extraction (parse) and loading (store) are
timed separately, then together as `manage.py ingest` does them. A throwaway
data directory is used, so the development database is never touched.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
        started = time.perf_counter()
        extracted = [extract_article(f.read_text(encoding="utf-8"), file_name=f.name) for f in files]
        parse_seconds = time.perf_counter() - started

        started = time.perf_counter()
        for index in range(0, len(extracted), args.batch_size):
            load_articles(extracted[index : index + args.batch_size])
        store_seconds = time.perf_counter() - started

        total = parse_seconds + store_seconds
        cores = os.cpu_count()
        print(f"articles: {len(files)}   batch size: {args.batch_size}   machine cores: {cores} (one used)")
        print(f"parse: {len(files) / parse_seconds:8.0f} articles/s  ({parse_seconds * 1000 / len(files):.2f} ms each)")
        print(f"store: {len(files) / store_seconds:8.0f} articles/s  ({store_seconds * 1000 / len(files):.2f} ms each)")
        print(f"parse + store: {len(files) / total:8.0f} articles/s")
    finally:
        from django.db import connections

        connections.close_all()
        embedded_db.stop(embedded_db.Cluster(work / "data"))
        if not args.keep:
            subprocess.run(["rm", "-rf", str(work)], check=False)


if __name__ == "__main__":
    main()
