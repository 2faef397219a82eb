"""`python manage.py prewarm`: the search's tables and indexes read into memory, and the kept overview
counted, after a restart or a migrate.

At a million articles the archive is ~20 GB; after a restart the first
searches read it from disk (seconds each, past the search's time limit on a
slow disk). This reads what search touches, in the order that keeps it: see
`prewarm`. Needs the `pg_prewarm` extension (PostgreSQL contrib; creating it
takes a superuser, which the embedded cluster's user is). Takes minutes at a
million articles (the articles' heap and TOAST are 6 and 7 GB).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from articles import overview


def prewarm(connection) -> dict[str, str]:
    """Before timing, the search's tables and indexes (and the sample tables' TOAST) in shared buffers,
    the quotes' and articles' TOAST (long quotes' vectors, the articles' folded vectors and bodies) in the OS cache,
    as a server in steady state has them;
    returns what was read. The quotes' heap goes first: when shared buffers are full, the earliest
    read pages are the first to go. The TOAST goes last: reading relations into shared buffers also
    leaves a second copy of them in the OS cache, and at a million articles the two together with
    the TOAST are more than this machine's memory, so the kernel must drop the older copies rather
    than the vectors (read first, a third of the TOAST was gone again before the first request and
    every search touching it waited for the disk). The peers' indexes are warmed by their untimed
    first round."""
    relations = [
        "articles_quote",
        "articles_article",
        "article_search_exact_idx",
        "article_search_folded_idx",
        "article_pairs_gin",
        "articles_articlesample",
        "article_sample_exact_gin",
        "article_sample_folded_gin",
        "article_sample_phrases_gin",
        "article_sample_fphrases_gin",
        "article_newest_idx",
        "quote_search_exact_idx",
        "quote_search_folded_idx",
        "quote_pairs_gin",
        "articles_quotesample",
        "quote_sample_exact_gin",
        "quote_sample_folded_gin",
        "quote_sample_phrases_gin",
        "quote_sample_fphrases_gin",
        "quote_newest_idx",
        "occurrence_quote_articles_idx",
        "articles_event",
        "articles_person",
        "articles_source",
    ]
    read = {}
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        for name in relations:
            cursor.execute("SELECT to_regclass(%s)", [name])
            if cursor.fetchone()[0] is None:
                continue
            cursor.execute("SELECT pg_size_pretty(pg_relation_size(%s::regclass))", [name])
            read[name] = cursor.fetchone()[0]
            cursor.execute("SELECT pg_prewarm(%s::regclass, 'buffer')", [name])
        # The samples' vectors (a phrase is tested on each sampled match) into shared buffers, the
        # long quotes' and the articles' (folded vectors, bodies) into the OS cache.
        toasts = (
            ("articles_articlesample", "buffer"),
            ("articles_quotesample", "buffer"),
            ("articles_quote", "read"),
            ("articles_article", "read"),
        )
        for table, mode in toasts:
            cursor.execute(
                "SELECT reltoastrelid::regclass::text, pg_size_pretty(pg_relation_size(reltoastrelid)) "
                "FROM pg_class WHERE oid = to_regclass(%s)",
                [table],
            )
            for toast, size in cursor.fetchall():
                cursor.execute("SELECT pg_prewarm(%s::regclass, %s)", [toast, mode])
                read[f"{table} TOAST ({'shared buffers' if mode == 'buffer' else 'OS cache'})"] = size
    return read


class Command(BaseCommand):
    help = (
        "Read the search's tables and indexes into memory and count the kept overview again "
        "(after a restart or a migrate of a large archive)."
    )

    def handle(self, *args, **options):
        try:
            read = prewarm(connection)
        except DatabaseError as exc:
            raise CommandError(f"prewarm failed (pg_prewarm needs PostgreSQL contrib and a superuser): {exc}") from exc
        for name, size in read.items():
            self.stdout.write(f"{size:>10}  {name}")
        self.stdout.write(self.style.SUCCESS(f"{len(read)} relations read"))
        # A migrate forgets the overview; counted by the first page view instead, a cold million
        # articles took 47 s, past the web server's statement time limit (then every view would retry).
        overview.refresh()
        self.stdout.write(self.style.SUCCESS("overview counted"))
