"""Streamed CSV and JSON downloads of any search or list: rows are written as
they are read (`QuerySet.iterator`), so 100,000 rows never sit in memory. The
request that produced the file is recorded in it."""

import csv
import datetime as dt
import json

from django.http import StreamingHttpResponse
from django.urls import reverse

CHUNK = 2000

ARTICLE_COLUMNS = ["id", "url", "date", "title", "source", "event", "speakers", "file"]
QUOTE_COLUMNS = ["id", "url", "date", "speaker", "role", "text", "direct", "event", "review_status"]


class _Echo:
    """A file-like object whose write() hands the line back to the generator."""

    def write(self, value):
        return value


def _article_rows(request, queryset):
    queryset = queryset.select_related("source", "event").order_by(*queryset.query.order_by or ["pk"])
    for article in queryset.iterator(chunk_size=CHUNK):
        yield {
            "id": article.pk,
            "url": request.build_absolute_uri(article.get_absolute_url()),
            "date": article.date.isoformat() if article.date else "",
            "title": article.title,
            "source": article.source.name if article.source else "",
            "event": article.event.name if article.event else "",
            "speakers": article.speakers_text,
            "file": article.file_name,
        }


def _quote_rows(request, queryset):
    queryset = queryset.select_related("person", "role", "event")
    for quote in queryset.iterator(chunk_size=CHUNK):
        yield {
            "id": quote.pk,
            "url": request.build_absolute_uri(reverse("articles:quote", args=[quote.pk])),
            "date": quote.date.isoformat() if quote.date else "",
            "speaker": quote.person.name if quote.person else "",
            "role": str(quote.role) if quote.role else "",
            "text": quote.text,
            "direct": quote.direct,
            "event": quote.event.name if quote.event else "",
            "review_status": quote.review_status,
        }


def _csv(rows, columns, query_line):
    writer = csv.DictWriter(_Echo(), fieldnames=columns)
    yield f"# {query_line}\r\n"
    yield writer.writeheader()
    for row in rows:
        yield writer.writerow(row)


def _json(rows, query):
    yield '{"query": ' + json.dumps(query, ensure_ascii=False) + ', "results": ['
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


def download(request, queryset, *, kind: str, format: str, name: str) -> StreamingHttpResponse:
    rows = _quote_rows(request, queryset) if kind == "quote" else _article_rows(request, queryset)
    columns = QUOTE_COLUMNS if kind == "quote" else ARTICLE_COLUMNS
    query = {
        "url": request.build_absolute_uri(),
        "parameters": {key: request.GET.getlist(key) for key in request.GET},
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "type": kind,
    }
    stamp = dt.date.today().isoformat()
    if format == "json":
        response = StreamingHttpResponse(_json(rows, query), content_type="application/json; charset=utf-8")
        filename = f"{name}-{stamp}.json"
    else:
        line = f"archive export of {query['url']} at {query['exported_at']}"
        response = StreamingHttpResponse(_csv(rows, columns, line), content_type="text/csv; charset=utf-8")
        filename = f"{name}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
