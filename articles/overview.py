"""The archive at a glance (totals, years, quotes per speaker), counted once and kept in the cache.

At a million articles these counts read most of the archive: the direct
quotes' count alone scans the 3.5 GB quotes table (3 s), the years and the
quotes per speaker another second. The home page, the year pages' navigation,
the speakers list and the API's years read them from Django's cache instead.

Whoever changes what they count forgets them: the loaders after every batch,
editors through the model signals connected in `apps.py` (saves and deletes,
merges included), a flush or migrate through `post_migrate`. The next reader
counts again; the commands that load many articles count at their end, so the
first visitor after a big load does not wait for it.
"""

from django.core.cache import cache
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import ExtractYear

from articles.models import Article, Event, Person, Quote

# The shape of the cached value is part of the key: a deploy that changes it never reads an old one.
CACHE_KEY = "archive-overview-v2"


def current() -> dict:
    """The overview: {"articles", "events", "speakers", "quotes" (direct), "reported", "first_date", "last_date",
    "years": [{"year", "articles", "events", "quotes"}] newest first, "quote_counts": {person id: n}}."""
    overview = cache.get(CACHE_KEY)
    if overview is None:
        overview = refresh()
    return overview


def refresh() -> dict:
    """Count everything again and keep it."""
    overview = _count()
    cache.set(CACHE_KEY, overview, timeout=None)
    return overview


def forget(raw: bool = False, **signal_arguments) -> None:
    """Drop the kept overview; also the receiver of the models' save and delete signals.

    Fixtures' rows (`raw`, loaddata) are skipped: a dump loads millions, and `load_archive` counts
    once at its end."""
    if not raw:
        cache.delete(CACHE_KEY)


def count_per_year(queryset) -> dict[int, int]:
    """{year: rows of `queryset` dated in it}; undated rows are left out."""
    rows = queryset.filter(date__isnull=False).annotate(y=ExtractYear("date")).values_list("y").annotate(n=Count("pk"))
    return dict(rows.order_by())


def _count() -> dict:
    dated = Article.objects.aggregate(first=Min("date"), last=Max("date"))
    articles, events, quotes = (count_per_year(model.objects) for model in (Article, Event, Quote))
    # Both kinds in one pass over the quotes (3 s each at a million).
    kinds = Quote.objects.aggregate(
        direct_quotes=Count("pk", filter=Q(direct=True)), reported_quotes=Count("pk", filter=Q(direct=False))
    )
    quote_counts = dict(
        Quote.objects.filter(person__isnull=False).values_list("person").annotate(n=Count("pk")).order_by()
    )
    return {
        "articles": Article.objects.count(),
        "events": Event.objects.count(),
        "speakers": Person.objects.speakers().count(),
        "quotes": kinds["direct_quotes"],
        "reported": kinds["reported_quotes"],
        "first_date": dated["first"],
        "last_date": dated["last"],
        "years": [
            {"year": y, "articles": articles.get(y, 0), "events": events.get(y, 0), "quotes": quotes.get(y, 0)}
            for y in sorted(set(articles) | set(events) | set(quotes), reverse=True)
        ],
        "quote_counts": quote_counts,
    }


def most_quoted(limit: int = 10) -> list[Person]:
    """The `limit` people with the most quotes, each with `quote_count`."""
    counts = current()["quote_counts"]
    people = Person.objects.in_bulk(list(counts))  # hundreds of speakers, not millions
    ranked = sorted(people.values(), key=lambda person: (-counts[person.pk], person.name))[:limit]
    for person in ranked:
        person.quote_count = counts[person.pk]
    return ranked
