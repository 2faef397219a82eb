"""The JSON API: schema, lists and details, exports, citations, CORS, rate limit, and schemathesis."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from io import StringIO
from pathlib import Path

import pytest
import schemathesis
from django.core.management import call_command
from django.test import override_settings
from hypothesis import HealthCheck, settings

from articles import middleware
from articles.models import Article, Person, Quote, RateCounter

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())


def no_duplicate_keys(pairs):
    keys = [key for key, _ in pairs]
    duplicated = {key for key in keys if keys.count(key) > 1}
    assert not duplicated, f"duplicated keys {duplicated} (Swagger UI: 'duplicated mapping key')"
    return dict(pairs)


def test_openapi_schema_and_docs(client):
    schema = json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicate_keys)
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/search",
        "/api/v1/articles",
        "/api/v1/quotes/{quote_id}",
        "/api/v1/speakers/{slug}",
        "/api/v1/events",
        "/api/v1/years",
        "/api/v1/search/export",
    ):
        assert path in schema["paths"], path
    docs = client.get("/api/docs", follow=True)
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()  # served from our own static files


def test_lists_details_and_filters(client, seeded):
    articles = client.get("/api/v1/articles", {"year": 2022}).json()
    assert articles["count"] == 3
    assert {a["file"][:3] for a in articles["items"]} == {"000", "001", "003"}
    detail = client.get(f"/api/v1/articles/{articles['items'][0]['id']}").json()
    assert detail["body"]
    quotes = client.get("/api/v1/quotes", {"speaker": "nguyen-manh-hung", "direct": True}).json()
    assert quotes["count"] == 3
    speaker = client.get("/api/v1/speakers/nguyen-xuan-phuc").json()
    assert [(r["title"], r["first_seen"], r["last_seen"]) for r in speaker["roles"]] == [
        ("Thủ tướng", "2019-12-28", "2021-01-12")
    ]
    assert client.get("/api/v1/speakers", {"q": "xuan phuc"}).json()["count"] == 1
    years = client.get("/api/v1/years").json()
    assert [y["year"] for y in years] == [2022, 2021, 2019]
    assert client.get("/api/v1/events", {"year": 2022}).json()["count"] == 2
    assert client.get("/api/v1/articles/999999").status_code == 404
    assert client.get("/api/v1/articles", {"page": "x"}).status_code == 422
    far = client.get("/api/v1/events", {"page": str(10**20)})
    assert far.status_code == 200
    assert far.json()["items"] == []


def test_citations_in_three_formats(client, seeded):
    quote = Quote.objects.get(text__startswith="Truyền thông phải đi đầu")
    cited = client.get(f"/api/v1/quotes/{quote.pk}/citation").json()
    assert cited["text"].startswith("Phạm Minh Chính (Thủ tướng): “Truyền thông phải đi đầu")
    assert cited["bibtex"].startswith(f"@misc{{archive-quote-{quote.pk},")
    assert "author = {Phạm Minh Chính}" in cited["bibtex"]
    assert cited["csl"]["type"] == "speech"
    assert cited["csl"]["issued"] == {"date-parts": [[2022, 12, 18]]}
    article = Article.objects.get(file_name__startswith="004")
    cited = client.get(f"/api/v1/articles/{article.pk}/citation").json()
    assert cited["csl"]["container-title"] == "TTV"
    assert "year = {2019}" in cited["bibtex"]


def test_search_export_csv_and_json_record_the_query(client, seeded):
    response = client.get("/api/v1/search/export", {"q": "chuyen doi so", "format": "csv"})
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("id,url,date,title,")  # the header first: Excel and pandas read it as such
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5
    assert re.fullmatch(
        r'attachment; filename="search-chuyen-doi-so-\d{4}-\d\d-\d\dT\d{4}\.csv"', response["Content-Disposition"]
    )
    response = client.get("/api/v1/search/export", {"q": "dữ liệu", "type": "quote", "format": "json"})
    data = json.loads(b"".join(response.streaming_content))
    assert data["query"]["parameters"]["q"] == ["dữ liệu"]
    assert all("dữ liệu" in row["text"].lower() for row in data["results"])


def test_a_10000_row_export_streams(client, seeded, settings):
    settings.EXPORT_MAX_ROWS = 20_000
    person = Person.objects.first()
    Quote.objects.bulk_create(
        Quote(text=f"Câu nói thử nghiệm số {i}", key=f"bulk-{i}", person=person, method="test", confidence=1.0)
        for i in range(10_000)
    )
    response = client.get("/api/v1/quotes/export", {"format": "csv", "speaker": person.slug})
    assert response.streaming
    lines = 0
    for chunk in response.streaming_content:  # consumed piece by piece, never as one string
        lines += chunk.decode().count("\n")
    assert lines == 10_001  # header + rows


def test_a_download_over_the_limit_is_refused_up_front_with_what_to_do(client, seeded, settings):
    settings.EXPORT_MAX_ROWS = 3
    response = client.get("/api/v1/search/export", {"q": "chuyen doi so", "format": "csv"})  # 5 articles
    assert response.status_code == 422
    body = response.json()
    assert body["max_rows"] == 3
    assert body["rows_at_least"] == 4
    assert "Narrow the filters" in body["detail"]


def test_a_download_says_how_many_rows_it_holds_and_that_it_ended(client, seeded):
    response = client.get("/api/v1/search/export", {"q": "chuyen doi so", "format": "json"})
    data = json.loads(b"".join(response.streaming_content))
    assert response["X-Row-Count"] == "5"
    assert data["count"] == len(data["results"]) == 5
    assert data["complete"] is True  # a file cut short has no closing envelope


def test_downloads_have_their_own_tighter_rate_limit(client, seeded, settings):
    settings.EXPORT_RATE_LIMIT = 2
    statuses = [client.get("/api/v1/articles/export").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get("/api/v1/articles").status_code == 200  # reading pages goes on


def test_cors_for_get(client, seeded):
    response = client.get("/api/v1/years", HTTP_ORIGIN="https://research.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://x.example").headers


@override_settings(API_RATE_LIMIT=3)
def test_rate_limit_answers_429_with_retry_after(client):
    codes = [client.get("/api/v1/years").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/years")
    assert 1 <= int(limited["Retry-After"]) <= 60
    other_client = client.get("/api/v1/years", REMOTE_ADDR="10.0.0.9")
    assert other_client.status_code == 200


@override_settings(API_RATE_LIMIT=2, SEARCH_RATE_LIMIT=2)
def test_rate_limit_counts_each_scope_and_starts_again_the_next_minute(client, monkeypatch):
    now = 1_800_000_000.0
    monkeypatch.setattr(middleware.time, "time", lambda: now)
    assert [client.get("/api/v1/years").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/search/", {"q": "hội nghị"}).status_code == 200  # a scope of its own
    now += 60
    assert client.get("/api/v1/years").status_code == 200
    # Clients quiet for a minute are forgotten by a request opening a new one.
    client.get("/api/v1/years", REMOTE_ADDR="10.0.0.7")
    now += 120
    monkeypatch.setattr(middleware.RateLimitMiddleware, "FORGET_ONE_IN", 1)
    assert client.get("/api/v1/years").status_code == 200
    assert not RateCounter.objects.filter(client="10.0.0.7").exists()


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", __import__("archive.wsgi").wsgi.application)


@pytest.fixture
def api_data(django_db_blocker, transactional_db):
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@override_settings(API_RATE_LIMIT=1_000_000)
def test_schemathesis_no_server_errors_and_responses_match_the_schema(case, api_data):
    case.call_and_validate()


def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text(client, seeded):
    article = Article.objects.get(file_name__startswith="004")
    Article.objects.filter(pk=article.pk).update(title='=HYPERLINK("http://evil.example","Bấm")')
    Article.objects.exclude(pk=article.pk).filter(title="").update(title="-")
    response = client.get("/api/v1/articles/export", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    titles = {row["title"] for row in rows}
    assert """'=HYPERLINK("http://evil.example","Bấm")""" in titles
    assert not any(title.startswith(("=", "+", "-", "@")) for title in titles)
    data = json.loads(b"".join(client.get("/api/v1/articles/export", {"format": "json"}).streaming_content))
    assert any(row["title"].startswith("=HYPERLINK") for row in data["results"])  # JSON is data, kept verbatim


def test_a_download_holds_exactly_the_rows_it_announced_while_articles_arrive(client, seeded):
    response = client.get("/api/v1/articles/export", {"format": "csv"})
    announced = int(response["X-Row-Count"])
    newcomer = Article.objects.get(file_name__startswith="000")
    newcomer.pk, newcomer.file_name, newcomer.source_path = None, "arrived-meanwhile.txt", "arrived-meanwhile.txt"
    newcomer.save()  # ingested while the download streams
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == announced
    assert "arrived-meanwhile.txt" not in {row["file"] for row in rows}


def test_an_excel_download_shows_vietnamese_and_never_a_formula(client, seeded):
    article = Article.objects.get(file_name__startswith="004")
    Article.objects.filter(pk=article.pk).update(title='=HYPERLINK("http://evil.example","Bấm")')
    response = client.get("/api/v1/search/export", {"q": "chuyển đổi số", "type": "quote", "format": "xlsx"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert re.fullmatch(
        r'attachment; filename="search-chuyen-doi-so-quote-[-\dT]+\.xlsx"', response["Content-Disposition"]
    )
    sheet = read_xlsx(b"".join(response.streaming_content))
    assert sheet[0][:4] == ["id", "url", "date", "speaker"]
    assert len(sheet) - 1 == int(response["X-Row-Count"]) > 0
    assert any("Phạm Minh Chính" in row for row in sheet)  # Vietnamese as stored, not a code page's guess
    articles = read_xlsx(b"".join(client.get("/api/v1/articles/export", {"format": "xlsx"}).streaming_content))
    title = articles[0].index("title")
    assert '=HYPERLINK("http://evil.example","Bấm")' in [row[title] for row in articles[1:]]  # text, not a formula


def read_xlsx(data: bytes) -> list[list[str]]:
    """The first sheet's cells as text, read from the workbook's XML (no spreadsheet library needed)."""
    with zipfile.ZipFile(io.BytesIO(data)) as workbook:
        sheet_xml = workbook.read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet_xml  # no cell holds a formula
        shared = (
            ET.fromstring(workbook.read("xl/sharedStrings.xml"))
            if "xl/sharedStrings.xml" in workbook.namelist()
            else None
        )
    ns = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    strings = (
        ["".join(t.text or "" for t in item.iter(f"{{{ns['x']}}}t")) for item in shared] if shared is not None else []
    )
    rows = []
    for row in ET.fromstring(sheet_xml).iterfind(".//x:sheetData/x:row", ns):
        cells = []
        for cell in row.iterfind("x:c", ns):
            kind = cell.get("t")
            if kind == "inlineStr":
                cells.append("".join(t.text or "" for t in cell.iter(f"{{{ns['x']}}}t")))
            else:
                value = cell.findtext("x:v", "", ns)
                cells.append(strings[int(value)] if kind == "s" else value)
        rows.append(cells)
    return rows
