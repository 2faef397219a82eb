"""CSV, JSON and Excel downloads of any search or list. The rows are chosen (their
ids, in the list's order) before the first byte, then read as plain values a
chunk at a time and streamed, so they never sit in memory as records. The
request that produced the file is recorded in the JSON envelope and, for a CSV
(which must start with its header to open cleanly in Excel and pandas), in the
file name: what was searched and when.

A download holds at most `EXPORT_MAX_ROWS` rows: a larger one is refused up front
(422, with the limit and a request to narrow the filters), never cut off by the
worker timeout halfway. The row count is sent before the rows (`X-Row-Count`, and
`count` in JSON), and the JSON envelope closes with `"complete": true`, so a
download cut short by the network is detectable."""

import csv
import datetime as dt
import json
import tempfile

import xlsxwriter
from django.conf import settings
from django.http import FileResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.text import slugify

from articles.extraction.normalize import fold
from articles.models import Article, Quote, Role

CHUNK = 2000

ARTICLE_COLUMNS = ["id", "url", "date", "title", "source", "event", "speakers", "file"]
QUOTE_COLUMNS = ["id", "url", "date", "speaker", "role", "text", "direct", "event", "review_status"]


class _Echo:
    """A file-like object whose write() hands the line back to the generator."""

    def write(self, value):
        return value


def _in_order(queryset, ids: list[int], fields: list[str]):
    """The `fields` of the rows of `ids`, in that order, a chunk at a time, as plain values (a download
    builds no model instances); a row deleted since it was counted is skipped."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {row["pk"]: row for row in queryset.filter(pk__in=chunk).values("pk", *fields)}
        yield from (rows[pk] for pk in chunk if pk in rows)


def _permalinks(request, view: str):
    """The absolute URL of `view` for any pk, as a format string: reversed once, not once a row."""
    sentinel = 987654321
    return request.build_absolute_uri(reverse(view, args=[sentinel])).replace(str(sentinel), "{}")


def _article_rows(request, ids):
    url = _permalinks(request, "articles:article")
    fields = ["date", "title", "source__name", "event__name", "speakers_text", "file_name"]
    for article in _in_order(Article.objects.all(), ids, fields):
        yield {
            "id": article["pk"],
            "url": url.format(article["pk"]),
            "date": article["date"].isoformat() if article["date"] else "",
            "title": article["title"],
            "source": article["source__name"] or "",
            "event": article["event__name"] or "",
            "speakers": article["speakers_text"],
            "file": article["file_name"],
        }


def _quote_rows(request, ids):
    url = _permalinks(request, "articles:quote")
    fields = ["date", "person__name", "role__title", "role__organisation", "text", "direct", "event__name"]
    for quote in _in_order(Quote.objects.all(), ids, [*fields, "review_status"]):
        yield {
            "id": quote["pk"],
            "url": url.format(quote["pk"]),
            "date": quote["date"].isoformat() if quote["date"] else "",
            "speaker": quote["person__name"] or "",
            "role": Role.label(quote["role__title"] or "", quote["role__organisation"] or ""),
            "text": quote["text"],
            "direct": quote["direct"],
            "event": quote["event__name"] or "",
            "review_status": quote["review_status"],
        }


# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...), +cmd|...): OWASP's
# "CSV injection" advice is to prefix such a cell with an apostrophe, which the spreadsheet shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Rows go out in pieces of about this many characters: one write per row cost gunicorn and the proxy a
# system call each (3,600 for a typical download).
PIECE = 64 * 1024


def _in_pieces(lines):
    piece, size = [], 0
    for line in lines:
        piece.append(line)
        size += len(line)
        if size >= PIECE:
            yield "".join(piece)
            piece, size = [], 0
    if piece:
        yield "".join(piece)


def _csv(rows, columns):
    writer = csv.DictWriter(_Echo(), fieldnames=columns)
    yield writer.writeheader()
    yield from _in_pieces(
        writer.writerow({column: spreadsheet_safe(value) for column, value in row.items()}) for row in rows
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows, columns, query):
    """The rows as an Excel workbook, in a temporary file deleted once sent.

    Excel reads a UTF-8 CSV without a byte-order mark as the local code page and garbles Vietnamese; a
    workbook has no such question. XlsxWriter's constant_memory mode writes each row out as it comes, so
    memory stays flat up to the row limit. Every text goes through write_string: never read as a formula."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it once sent
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "strings_to_urls": False})
    workbook.set_properties({"title": query["url"], "comments": f"exported at {query['exported_at']}"})
    sheet = workbook.add_worksheet("export")
    bold = workbook.add_format({"bold": True})
    for column, name in enumerate(columns):
        sheet.write_string(0, column, name, bold)
    for line, row in enumerate(rows, start=1):
        for column, name in enumerate(columns):
            value = row[name]
            if isinstance(value, bool):
                sheet.write_boolean(line, column, value)
            elif isinstance(value, int):
                sheet.write_number(line, column, value)
            else:
                sheet.write_string(line, column, str(value))
    sheet.freeze_panes(1, 0)
    workbook.close()
    handle.seek(0)
    return handle


def _json(rows, query, count):
    yield '{"query": ' + json.dumps(query, ensure_ascii=False) + f', "count": {count}, "results": ['
    yield from _in_pieces(
        ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False) for index, row in enumerate(rows)
    )
    yield '\n], "complete": true}\n'


def too_many_rows(at_least: int) -> JsonResponse:
    limit = settings.EXPORT_MAX_ROWS
    return JsonResponse(
        {
            "detail": f"This download would hold more than {limit:,} rows. Narrow the filters (a year, a speaker, "
            "an event, a source, a type) and download the parts one by one.",
            "max_rows": limit,
            "rows_at_least": at_least,
        },
        status=422,
    )


def download_name(name: str, parameters, extension: str) -> str:
    """``search-chuyen-doi-so-quote-2026-12-07T0512.csv``: the list, what narrowed it, when (UTC), in ASCII."""
    described = [slugify(fold(value))[:40] for key, value in parameters.items() if key not in ("format", "page")]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M")
    return "-".join([name, *filter(None, described), stamp])[:150] + f".{extension}"


def download(request, queryset, *, kind: str, format: str, name: str) -> StreamingHttpResponse | JsonResponse:
    """`queryset` as a CSV, JSON or Excel (xlsx) download, or 422 when it holds more than the limit."""
    # A list over the limit is told so from a count that neither ranks nor sorts (a tenth of the time), bounded
    # even when the search matches a million rows. Then the rows are chosen once, up front: the download holds
    # exactly the rows it announced, whatever is ingested while it streams (counting first and streaming the
    # query later let new articles slip in).
    over = queryset.order_by()[: settings.EXPORT_MAX_ROWS + 1].count()
    if over > settings.EXPORT_MAX_ROWS:
        return too_many_rows(over)
    ids = list(queryset.values_list("pk", flat=True)[: settings.EXPORT_MAX_ROWS + 1])
    count = len(ids)
    if count > settings.EXPORT_MAX_ROWS:  # grown past the limit since the count
        return too_many_rows(count)
    rows = _quote_rows(request, ids) if kind == "quote" else _article_rows(request, ids)
    columns = QUOTE_COLUMNS if kind == "quote" else ARTICLE_COLUMNS
    query = {
        "url": request.build_absolute_uri(),
        "parameters": {key: request.GET.getlist(key) for key in request.GET},
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "type": kind,
    }
    filename = download_name(name, request.GET, format)
    if format == "json":
        response = StreamingHttpResponse(_json(rows, query, count), content_type="application/json; charset=utf-8")
    elif format == "xlsx":
        response = FileResponse(_xlsx(rows, columns, query), content_type=XLSX_TYPE)
    else:
        response = StreamingHttpResponse(_csv(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Row-Count"] = str(count)
    return response
