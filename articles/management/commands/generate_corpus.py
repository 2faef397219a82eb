"""Fill the archive with N synthetic Vietnamese articles (for scale tests and benchmarks).

    python manage.py generate_corpus 1000000 --workers 2
    python manage.py generate_corpus 2000 --via ingest
    python manage.py generate_corpus 500 --write-texts DIR

`--via copy` (the default) stores the generator's records through the COPY path
(`articles.bulk`), in parallel worker processes; `--via ingest` reads each
generated text with the real extraction and stores it with the normal loader.
Both give the same records (tests/test_scale.py). Articles are numbered, so a
rerun with the same seed skips what is already stored.
"""

import multiprocessing
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection, connections

from articles import overview
from articles.bulk import copy_articles, without_search_indexes
from articles.search import refresh_vocabulary
from articles.synthetic import CorpusGenerator

REBUILD_INDEXES_FROM = 50_000  # below this, keeping the GIN indexes up to date is cheaper


def _load_range(seed: int, start: int, count: int, chunk: int, progress) -> int:
    generator = CorpusGenerator(seed)
    stored = 0
    articles = generator.articles(count, start=start)
    while True:
        batch = [article for _, article in zip(range(chunk), articles, strict=False)]
        if not batch:
            return stored
        for attempt in range(3):
            try:
                stored += copy_articles(batch)
                break
            except OperationalError as exc:  # a deadlock with the other worker: try the chunk again
                if attempt == 2 or "deadlock" not in str(exc):
                    raise
        progress(len(batch))


def _worker(seed: int, start: int, count: int, chunk: int, done, stored_by, index: int) -> None:
    connections.close_all()  # the parent's connection must not be shared with a fork

    def progress(n):
        with done.get_lock():
            done.value += n

    try:
        stored_by[index] = _load_range(seed, start, count, chunk, progress)
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = "Generate N synthetic articles (2000–2025, hundreds of speakers) and store them."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--start", type=int, default=0, help="number of the first article (default 0)")
        parser.add_argument("--via", choices=["copy", "ingest"], default="copy")
        parser.add_argument("--workers", type=int, default=1, help="parallel COPY streams")
        parser.add_argument("--chunk", type=int, default=2000, help="articles per transaction")
        parser.add_argument("--write-texts", type=Path, help="write the raw texts to this directory instead")

    def handle(self, count, seed, start, via, workers, chunk, write_texts, **options):
        self.verbosity = options["verbosity"]
        if count < 1:
            raise CommandError("count must be at least 1")
        if workers < 1 or chunk < 1:
            raise CommandError("--workers and --chunk must be at least 1")
        generator = CorpusGenerator(seed)
        if write_texts:
            write_texts.mkdir(parents=True, exist_ok=True)
            for article in generator.articles(count, start=start):
                (write_texts / article.file_name).write_text(article.raw_text, encoding="utf-8")
            self.stdout.write(f"wrote {count} texts to {write_texts}")
            return

        started = time.perf_counter()
        if via == "ingest":
            stored = self._via_ingest(generator, count, start, chunk)
        elif count >= REBUILD_INDEXES_FROM:
            with without_search_indexes():
                stored = self._via_copy(seed, count, start, chunk, workers)
                loaded = time.perf_counter()
            self.stdout.write(f"search indexes rebuilt in {time.perf_counter() - loaded:.0f} s")
        else:
            stored = self._via_copy(seed, count, start, chunk, workers)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article; ANALYZE articles_quote")
        refresh_vocabulary()
        overview.refresh()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{stored} articles stored via {via} in {seconds:.0f} s ({stored / seconds:.0f} articles/s), "
                f"{count - stored} already present"
            )
        )

    def _via_copy(self, seed, count, start, chunk, workers) -> int:
        show = self.verbosity >= 1 and sys.stderr.isatty()
        if workers == 1:
            done = [0]

            def progress(n):
                done[0] += n
                if show:
                    sys.stderr.write(f"\r{done[0]}/{count}")

            stored = _load_range(seed, start, count, chunk, progress)
        else:
            connections.close_all()
            context = multiprocessing.get_context("fork")
            done = context.Value("q", 0)
            stored_by = context.Array("q", workers)
            share = -(-count // workers)
            processes = [
                context.Process(
                    target=_worker,
                    args=(seed, start + i * share, min(share, count - i * share), chunk, done, stored_by, i),
                )
                for i in range(workers)
                if i * share < count
            ]
            for process in processes:
                process.start()
            while any(process.is_alive() for process in processes):
                time.sleep(1)
                if show:
                    sys.stderr.write(f"\r{done.value}/{count}")
            if failed := [p for p in processes if p.exitcode != 0]:
                raise CommandError(f"{len(failed)} loader process(es) failed; see the errors above")
            stored = sum(stored_by)
        if show:
            sys.stderr.write("\n")
        return stored

    def _via_ingest(self, generator, count, start, chunk) -> int:
        from articles.extraction import extract_article
        from articles.loading import load_articles

        stored = 0
        batch = []
        for article in generator.articles(count, start=start):
            batch.append(extract_article(article.raw_text, file_name=article.file_name))
            if len(batch) >= min(chunk, 200):
                stored += sum(1 for r in load_articles(batch).values() if getattr(r, "status", "") == "created")
                batch = []
        if batch:
            stored += sum(1 for r in load_articles(batch).values() if getattr(r, "status", "") == "created")
        return stored
