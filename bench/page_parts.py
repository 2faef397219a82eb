"""Where a search page's time goes, in-process: SQL, search()'s own Python, highlighting, the template.

    ARCHIVE_DATA_DIR=var/scale python bench/page_parts.py [--words 40] [--filter "year=2015"] ...

Each request is a word this process has not searched yet (the archive's own vocabulary, words in
200–3,000 articles), so no per-query cache helps it, as for a reader typing a new search. The view
runs without HTTP or middleware; the medians of the parts are printed. Run it from two checkouts
in turn to compare code (the VM's speed drifts within the hour).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=40, help="how many words (one request each)")
    parser.add_argument("--filter", action="append", default=[], help='extra parameters, e.g. "year=2015"')
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import RequestFactory
    from django.utils import translation

    from articles import search as engine
    from articles import views

    spent: dict[str, float] = {}

    def timed(name, function):
        def wrapper(*a, **k):
            started = time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    def in_sql(execute, *a):
        started = time.perf_counter()
        try:
            return execute(*a)
        finally:
            spent["sql"] = spent.get("sql", 0.0) + time.perf_counter() - started

    # The view looks these up through its module's names: time them where it calls them.
    views.render = timed("template", views.render)
    views.engine.search = timed("search", engine.search)
    views.engine.highlight = timed("highlight", engine.highlight)
    translation.activate("vi")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM articles_vocabulary WHERE ndoc BETWEEN 200 AND 3000 AND word ~ '^[[:alpha:]]+$' "
            "ORDER BY md5(word) LIMIT %s",
            [args.words + 2],
        )
        words = [row[0] for row in cursor.fetchall()]
    extra = "".join(f"&{f}" for f in args.filter)
    factory = RequestFactory()
    rows = []
    for position, word in enumerate(words):
        request = factory.get(f"/search/?q={word}{extra}")
        spent.clear()
        with connection.execute_wrapper(in_sql):
            started = time.perf_counter()
            views.search(request)
            total = time.perf_counter() - started
        if position >= 2:  # the first two open the connection and fill Django's own caches
            sql = spent.get("sql", 0.0)
            rows.append(
                {
                    "total": total,
                    "sql": sql,
                    "search() Python": spent.get("search", 0.0) - sql,
                    "highlight": spent.get("highlight", 0.0),
                    "template": spent.get("template", 0.0),
                }
            )
    medians = {name: statistics.median(row[name] for row in rows) * 1000 for name in rows[0]}
    parts = ", ".join(f"{name} {value:.1f}" for name, value in medians.items())
    print(f"{len(rows)} requests{extra and ' with ' + extra[1:]}: median ms: {parts}")


if __name__ == "__main__":
    main()
