"""Every SQL statement a search page runs, with its time and EXPLAIN (ANALYZE, BUFFERS) plan.

    ARCHIVE_DATA_DIR=var/scale python bench/explain_search.py "q=hội" "q=hội&speaker=nguyen-tan-dung"
    python bench/explain_search.py --slowest 2 "q=doanh nghiệp&year=2015"

Arguments are search query strings (as in the page's URL). For each, the
search runs once to warm the caches, then once captured; the statements are
printed slowest first, the `--slowest N` of them with their plans. The plans
in docs/performance.md come from here.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("searches", nargs="+", help='query strings, e.g. "q=hội&year=2015"')
    parser.add_argument("--slowest", type=int, default=1, help="how many statements to EXPLAIN per search")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from articles.search import SearchParams, search

    for querystring in args.searches:
        params = SearchParams.from_querydict(QueryDict(querystring))
        list(search(params).page)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            results = search(params)
            list(results.page)
            total = time.perf_counter() - started
        statements = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
        print(
            f"== {querystring}: {'≈' if results.approximate else ''}{results.count} matches, "
            f"{total * 1000:.0f} ms in search(), {len(statements)} statements "
            f"({sum(float(q['time']) for q in statements) * 1000:.0f} ms of SQL)"
        )
        for query in statements:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
        in_order = captured.captured_queries
        for query in statements[: args.slowest]:
            # The settings the page had in force for this statement (SET ... RESET around it).
            position = in_order.index(query)
            before = in_order[position - 1]["sql"] if position else ""
            setting = before if before.startswith("SET ") else ""
            with connection.cursor() as cursor:
                if setting:
                    cursor.execute(setting)
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n".join("    " + row[0] for row in cursor.fetchall()))
                if setting:
                    cursor.execute("RESET " + setting.split()[1])
        print()


if __name__ == "__main__":
    main()
