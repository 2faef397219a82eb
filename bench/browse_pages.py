"""Latency of the browse pages (home, years, speakers, feeds, sitemaps, API lists) on a loaded archive.

    ARCHIVE_DATA_DIR=var/scale python bench/browse_pages.py [--rounds 5]

The pages a reader opens besides search, chosen where the archive is largest:
the most quoted speaker (99,000 quotes at a million articles), the year with
the most articles, a deep page of each. Each page is fetched once untimed
(caches warm, the kept overview counted), then `--rounds` times through
Django's test client in this process (the whole view, template and
middleware; no HTTP or gunicorn, which scale.py measures for search). Prints a
table and writes docs/benchmarks/browse-<date>.json with the core count.
"""

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
BENCHMARKS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks"


def pages(cursor) -> list[str]:
    cursor.execute(
        "SELECT p.slug FROM articles_quote q JOIN articles_person p ON p.id = q.person_id "
        "GROUP BY p.slug ORDER BY count(*) DESC LIMIT 1"
    )
    speaker = cursor.fetchone()[0]
    cursor.execute(
        "SELECT extract(year FROM date)::int FROM articles_article WHERE date IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    )
    year = cursor.fetchone()[0]
    cursor.execute("SELECT slug FROM articles_event WHERE date IS NOT NULL ORDER BY date DESC LIMIT 1")
    event = cursor.fetchone()[0]
    cursor.execute("SELECT max(id) FROM articles_article")
    article = cursor.fetchone()[0]
    return [
        "/",
        f"/years/{year}/",
        f"/years/{year}/?month=6&page=10",
        "/people/",
        f"/people/{speaker}/",
        f"/people/{speaker}/?page=1000",
        f"/people/{speaker}/?year={year}&page=5",
        f"/events/{event}/",
        f"/articles/{article}/",
        "/feeds/articles/",
        f"/people/{speaker}/feed/",
        "/sitemap.xml",
        "/sitemap-people.xml",
        "/api/v1/years",
        "/api/v1/speakers",
        f"/api/v1/quotes?speaker={speaker}",
        "/api/v1/articles?page=100",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("ARCHIVE_API_RATE_LIMIT", "100000000")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from articles.models import Article

    with connection.cursor() as cursor:
        urls = pages(cursor)
    client = Client()
    rows = []
    for url in urls:
        response = client.get(url)  # untimed: caches warm
        timings = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        row = {
            "url": url,
            "status": response.status_code,
            "kilobytes": len(response.content) // 1024,
            "median_ms": round(timings[len(timings) // 2], 1),
            "max_ms": round(timings[-1], 1),
        }
        rows.append(row)
        size, median, worst = row["kilobytes"], row["median_ms"], row["max_ms"]
        print(f"{url[:60]:60s} {row['status']} {size:6d} KB {median:8.1f} ms (max {worst:.0f})")
    result = {
        "articles": Article.objects.count(),
        "cores": os.cpu_count(),
        "rounds": args.rounds,
        "pages": rows,
    }
    BENCHMARKS.mkdir(parents=True, exist_ok=True)
    path = BENCHMARKS / f"browse-{dt.date.today().isoformat()}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"written {path}")


if __name__ == "__main__":
    main()
