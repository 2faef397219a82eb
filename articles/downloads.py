"""Download links for the list a page shows: the API's CSV, Excel and JSON exports of the same rows.

A list longer than one download holds (`EXPORT_MAX_ROWS`) gets a line saying so instead of links that
would answer 422."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

FORMATS = (("csv", "CSV"), ("xlsx", "Excel"), ("json", "JSON"))


def links(operation: str, params, count: int) -> dict | None:
    """`operation` is the API's export (``search_export``, ``export_articles``, ``export_quotes``); `params`
    the (name, value) pairs that choose the rows; `count` how many rows they are. None for an empty list."""
    if not count:
        return None
    query = urlencode([(name, value) for name, value in params if value not in (None, "") and name != "page"])
    base = f"{reverse(f'api:{operation}')}?{query}{'&' if query else ''}format="
    return {
        "formats": [(label, base + extension) for extension, label in FORMATS],
        "too_many": count > settings.EXPORT_MAX_ROWS,
        "max_rows": settings.EXPORT_MAX_ROWS,
    }


def pairs(query) -> list[tuple[str, str]]:
    """A QueryDict's (name, value) pairs, every value of a repeated name included."""
    return [(name, value) for name, values in query.lists() for value in values]
