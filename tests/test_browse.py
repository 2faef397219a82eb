"""The public pages: home, years, events, speakers, articles, feeds, sitemap, OpenSearch, errors, language."""

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.db.models import F
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from django.utils.html import escape

from articles import views
from articles.editing import mark_edited
from articles.models import Article, Event, Person, Quote

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())


def page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_summarises_the_archive(client, seeded):
    html = page(client, "/")
    assert "5 bài viết, 4 sự kiện" in html
    assert 'href="/years/2022/"' in html
    assert "Phạm Minh Chính" in html  # among the most quoted
    assert "Hội nghị tổng kết năm 2019" in html  # a latest event


def test_vietnamese_by_default_english_at_its_own_address(client, seeded):
    person = Person.objects.get(slug="pham-minh-chinh")
    vietnamese = page(client, f"{person.get_absolute_url()}?year=2022", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in vietnamese  # the address decides, not the browser's header
    english_url = f"http://testserver/en/people/{person.slug}/?year=2022"
    assert f'<link rel="alternate" hreflang="en" href="{english_url}">' in vietnamese
    assert (
        f'<link rel="alternate" hreflang="x-default" href="http://testserver{person.get_absolute_url()}?year=2022">'
        in vietnamese
    )
    assert f'<a href="{english_url}" hreflang="en" lang="en">English</a>' in vietnamese  # the switch is a link
    client.cookies["django_language"] = "en"  # a cookie from the switch of old does not change a Vietnamese URL
    assert '<html lang="vi">' in page(client, "/")
    english = page(client, english_url.removeprefix("http://testserver"))
    assert '<html lang="en">' in english
    assert "Quotes per year" in english
    assert 'href="/en/search/' in english  # links stay in English
    assert f'hreflang="vi" href="http://testserver/people/{person.slug}/?year=2022"' in english
    assert client.get("/en/search/", {"q": "chuyen doi so"}).status_code == 200


@pytest.mark.parametrize(("language", "written"), [("vi", "942.600"), ("en", "942,600")])
def test_counts_are_grouped_as_the_language_writes_thousands(language, written):
    with translation.override(language):
        assert Template("{% load humanize %}{{ n|intcomma }}").render(Context({"n": 942600})) == written
        assert views._shown_count(942600, approximate=True) == f"≈ {written}"  # a search tab's count
        # Years and page numbers stay as they are: no grouping unless a template asks.
        assert Template("{{ year }}").render(Context({"year": 2015})) == "2015"


def test_year_page_lists_events_and_articles_in_date_order(client, seeded):
    html = page(client, "/years/2022/")
    assert html.index("27/09") < html.index("18/12")
    assert 'href="/years/2021/"' in html  # previous year
    assert client.get("/years/1999/").status_code == 404


def test_event_page_groups_speakers_and_links_the_series(client, seeded):
    event = Event.objects.get(date__year=2022, kind="year_end_review")
    html = page(client, event.get_absolute_url())
    assert "Truyền thông phải đi đầu" in html  # a quote under its speaker
    who_spoke = html[html.index("Ai đã phát biểu") :]
    assert "Phạm Minh Chính" in who_spoke
    assert "Nguyễn Mạnh Hùng" in who_spoke
    series = [e.date.year for e in event.series()]
    assert series == [2019, 2021]
    for other in event.series():
        assert other.get_absolute_url() in html


def test_series_follows_an_organiser_an_editor_corrected(seeded):
    event = Event.objects.get(date__year=2022, kind="year_end_review")
    review_2019, review_2021 = event.series()
    review_2019.organiser = "Bộ Tài chính"
    mark_edited(review_2019, "organiser")
    review_2019.save()
    assert event.series() == [review_2021]
    # An event the machine filed under another organiser, corrected by an editor to this one.
    review_2020 = Event.objects.create(
        name="Hội nghị tổng kết năm 2020",
        slug="hoi-nghi-tong-ket-nam-2020",
        kind="year_end_review",
        date=dt.date(2020, 12, 30),
        organiser=event.organiser,
        key="year_end_review:2020-12-30:bo-tai-chinh",
        edited_fields=["organiser"],
    )
    assert event.series() == [review_2020, review_2021]


def test_speaker_page_roles_chart_quotes_and_scoped_search(client, seeded):
    person = Person.objects.get(name="Nguyễn Xuân Phúc")
    html = page(client, person.get_absolute_url())
    assert "Thủ tướng" in html
    assert "28/12/2019 – 12/01/2021" in html
    assert "<svg" in html
    assert 'name="speaker" value="nguyen-xuan-phuc"' in html
    assert "Cho nên có thể nói" in html


def test_speaker_page_lists_quotes_a_page_and_a_year_at_a_time(client, seeded, monkeypatch):
    monkeypatch.setattr("articles.views.PER_PAGE", 1)
    person = Person.objects.get(name="Nguyễn Xuân Phúc")
    moved = person.quotes.order_by("pk").last()  # an editor dates one of the 2019 quotes to 2020
    moved.date = dt.date(2020, 6, 1)
    moved.save()
    quotes = list(person.quotes.order_by("-date", "pk"))
    assert quotes[0] == moved
    assert len(quotes) >= 3
    first = page(client, person.get_absolute_url())
    assert f"{len(quotes)} trích dẫn" in first  # the total, not the page's
    assert f"Trang 1 / {len(quotes)}" in first
    assert 'rel="next" href="?page=2"' in first
    shown = [q for q in quotes if q.get_absolute_url() in first]
    assert shown == quotes[:1]  # newest first, one per page
    last = page(client, f"{person.get_absolute_url()}?page={len(quotes)}")
    assert quotes[-1].get_absolute_url() in last
    assert quotes[0].get_absolute_url() not in last

    year = 2019
    in_year = [q for q in quotes if q.date.year == year]
    html = page(client, f"{person.get_absolute_url()}?year={year}")
    assert f'href="?year={year}" aria-current="page"' in html
    assert in_year[0].get_absolute_url() in html
    assert not any(q.get_absolute_url() in html for q in quotes if q.date.year != year)
    assert "Không có trích dẫn nào trong năm 1990" in page(client, f"{person.get_absolute_url()}?year=1990")
    assert client.get(f"{person.get_absolute_url()}?year=abc").status_code == 404


def test_year_page_pages_articles_and_narrows_to_a_month(client, seeded, monkeypatch):
    monkeypatch.setattr("articles.views.PER_PAGE", 1)
    articles = list(Article.objects.filter(date__year=2022).order_by("date", "pk"))
    assert len(articles) >= 2
    assert articles[0].date.month != articles[-1].date.month
    first = page(client, "/years/2022/")
    assert articles[0].get_absolute_url() in first
    assert articles[-1].get_absolute_url() not in first
    assert f"Trang 1 / {len(articles)}" in first
    month = articles[-1].date.month
    html = page(client, f"/years/2022/?month={month}")
    assert f"Tháng {month}" in html
    assert 'aria-current="page"' in html
    in_month = [a for a in articles if a.date.month == month]
    assert in_month[0].get_absolute_url() in html
    assert articles[0].get_absolute_url() not in html
    assert f"Trang 1 / {len(in_month)}" in html or len(in_month) == 1
    assert client.get("/years/2022/?month=13").status_code == 404
    assert client.get("/years/2022/?month=x").status_code == 404


def test_home_and_speakers_counts_follow_an_editors_delete(client, seeded):
    assert "5 bài viết" in page(client, "/")  # counted once, then kept
    person = Person.objects.get(name="Nguyễn Xuân Phúc")
    speakers = page(client, "/people/")
    assert f"{person.quotes.count()} trích dẫn" in speakers
    Article.objects.filter(file_name__startswith="000").get().delete()  # what an editor does in the admin
    assert "4 bài viết" in page(client, "/")
    years = client.get("/api/v1/years").json()
    assert sum(row["articles"] for row in years) == Article.objects.filter(date__isnull=False).count()


def test_article_page_cites_and_links_quotes(client, seeded):
    article = Article.objects.get(file_name__startswith="000")
    html = page(client, article.get_absolute_url())
    quote = article.quote_occurrences.filter(quote__direct=True).first().quote
    assert f'id="quote-{quote.pk}"' in html
    assert f"http://testserver/articles/{article.pk}/#quote-{quote.pk}" in html  # the quote's citation permalink
    assert "Đọc thêm" not in html.split("<details>")[0]  # teasers only in the raw text


def test_feeds_sitemap_and_opensearch(client, seeded):
    for url in ("/feeds/articles/", "/people/pham-minh-chinh/feed/", "/search/feed/?q=chuyen+doi+so"):
        response = client.get(url)
        assert response.status_code == 200, url
        feed = ET.fromstring(response.content)
        assert feed.tag == f"{ATOM}feed"
        assert len(feed.findall(f"{ATOM}entry")) >= 1, url
    sitemap = page(client, "/sitemap.xml")
    assert "/sitemap-articles.xml" in sitemap
    assert "/sitemap-years.xml" in sitemap
    assert f"/articles/{Article.objects.first().pk}/" in page(client, "/sitemap-articles.xml")
    assert "/years/2019/" in page(client, "/sitemap-years.xml")
    opensearch = client.get("/opensearch.xml")
    assert opensearch["Content-Type"].startswith("application/opensearchdescription+xml")
    assert "search/?q={searchTerms}" in opensearch.content.decode()


def test_sitemap_index_reaches_every_page_of_articles(client, seeded, monkeypatch):
    # At a million articles the articles need 20 sitemaps of 50,000; here, 3 of 2.
    monkeypatch.setattr("articles.sitemaps.ArticleSitemap.limit", 2)
    index = ET.fromstring(page(client, "/sitemap.xml"))
    locations = [e.text for e in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    article_maps = [url for url in locations if "sitemap-articles.xml" in url]
    assert len(article_maps) == 5  # each article in both languages: 10 URLs, 2 a page
    listed = "".join(page(client, url.removeprefix("http://testserver")) for url in article_maps)
    for article in Article.objects.all():
        assert f"http://testserver/articles/{article.pk}/<" in listed
        assert f"http://testserver/en/articles/{article.pk}/<" in listed
        assert f'hreflang="en" href="http://testserver/en/articles/{article.pk}/"' in listed


@override_settings(DEBUG=False)
def test_styled_404(client, seeded):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_500_page_renders_without_context():
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert "Đã có lỗi xảy ra" in html


def test_pages_carry_schema_org_json_ld(client, seeded):
    import json
    import re

    article = Article.objects.get(file_name__startswith="000")
    person = Person.objects.get(name="Phạm Minh Chính")
    event = article.event
    found = {}
    for url in (article.get_absolute_url(), person.get_absolute_url(), event.get_absolute_url()):
        html = page(client, url)
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        data = json.loads(block.group(1))
        found[data["@type"]] = data
    assert found["NewsArticle"]["hasPart"][0]["@type"] == "Quotation"
    assert found["NewsArticle"]["hasPart"][0]["spokenByCharacter"]["name"] == "Phạm Minh Chính"
    assert found["Person"]["jobTitle"] == ["Thủ tướng"]
    assert found["Event"]["startDate"] == "2022-12-18"


def test_the_search_feed_link_carries_the_whole_query(client, seeded):
    page = client.get("/search/", {"q": "chuyển đổi số", "type": "quote", "speaker": "pham-minh-chinh", "page": "1"})
    html = page.content.decode()
    href = re.search(r'<a class="feed" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    feed = client.get(href)
    assert "type=quote" in href
    assert "speaker=pham-minh-chinh" in href
    assert "page=" not in href
    assert feed.status_code == 200
    assert b"/quotes/" in feed.content  # entries are the speaker's quotes, not articles
    assert b"/articles/" not in feed.content


def test_citations_speak_the_pages_language_and_never_name_an_unknown_source(client, seeded):
    article = Article.objects.get(file_name__startswith="000")
    article.source = None
    article.save()
    html = page(client, article.get_absolute_url())
    cite = html[html.index('id="cite-h"') : html.index("<details>")]
    assert "Trong: “" in cite
    assert "In:" not in cite
    assert "Unknown source" not in cite
    assert "¶" not in cite  # the list of citations has no stray link marks; the quotes in the text keep theirs
    english = page(client, f"/en{article.get_absolute_url()}")
    assert "In: “" in english[english.index('id="cite-h"') :]
    assert 'aria-label="Link to this quote"' in english


def test_the_search_feeds_own_link_is_the_whole_search_encoded(client, seeded):
    feed = client.get("/search/feed/", {"q": "R&D #1 chuyển đổi", "type": "quote", "year": "2022", "page": "3"})
    link = re.search(r'<link href="([^"]+)" rel="alternate"', feed.content.decode()).group(1).replace("&amp;", "&")
    assert link.startswith("http://testserver/search/?")
    assert parse_qs(urlsplit(link).query) == {"q": ["R&D #1 chuyển đổi"], "type": ["quote"], "year": ["2022"]}


def test_a_year_inside_the_archives_span_without_articles_says_so(client, seeded):
    # The seeds cover 2019, 2021 and 2022: the year charts draw 2020 as a bar at 0.
    response = client.get("/years/2020/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Không có bài viết nào trong năm này." in html
    assert 'href="/years/2019/"' in html
    assert 'href="/years/2021/"' in html
    assert client.get("/years/2023/").status_code == 404  # after the last year: no page


def test_the_home_page_says_what_its_numbers_count(client, seeded):
    from articles.models import Quote

    html = client.get("/").content.decode()
    direct, reported = Quote.objects.filter(direct=True).count(), Quote.objects.filter(direct=False).count()
    assert f"{direct} trích dẫn trực tiếp và {reported} trích dẫn gián tiếp" in html
    most_quoted = [int(n) for n in re.findall(r'<span class="muted">(\d+) trích dẫn</span>', html)]
    assert most_quoted
    assert sum(most_quoted) <= direct + reported  # the speakers' counts fit inside the totals shown


def test_robots_txt_points_crawlers_at_the_sitemap_and_away_from_queries(client, seeded):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert {"Disallow: /search/", "Disallow: /api/", "Disallow: /admin/"} <= set(lines)
    assert client.get("/sitemap.xml").status_code == 200
    icon = client.get("/favicon.ico")
    assert icon.status_code == 302
    assert "favicon" in icon["Location"]
    assert icon["Location"].endswith(".svg")


def test_the_people_index_shows_each_persons_latest_role(client, seeded):
    html = page(client, "/people/")
    person = Person.objects.get(slug="nguyen-manh-hung")
    latest = person.roles.order_by(F("last_seen").desc(nulls_last=True), "-pk").first()
    entry = html[html.index(f'href="{person.get_absolute_url()}"') :].split("</li>")[0]
    assert f'<span class="role">{escape(str(latest))}</span>' in entry


def test_a_facet_without_values_shows_no_heading(client, seeded):
    Article.objects.update(source=None)  # texts whose outlet is unknown: the source facet has nothing to offer
    html = page(client, "/search/", data={"q": "chuyển đổi số"})
    facets = html[html.index('class="facets"') : html.index('class="results"')]
    headings = re.findall(r"<h2>([^<]+)</h2>", facets)
    assert len(headings) == facets.count("<ul>")
    assert all("<li>" in section for section in facets.split("<h2>")[1:])
    assert "Nguồn" not in headings


def download_links(html: str) -> dict[str, str]:
    block = re.search(r'<p class="downloads">(.*?)</p>', html, re.S)
    assert block, "no download links"
    return {
        name: href.replace("&amp;", "&") for href, name in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', block[1])
    }


@pytest.mark.parametrize("kind", ["article", "quote"])
def test_search_results_offer_the_same_rows_as_csv_excel_and_json(client, seeded, kind):
    html = page(client, "/search/", data={"q": "chuyển đổi số", "type": kind, "year": "2022", "page": "1"})
    links = download_links(html)
    assert set(links) == {"CSV", "Excel", "JSON"}
    query = parse_qs(urlsplit(links["JSON"]).query)
    assert query == {"q": ["chuyển đổi số"], "type": [kind], "year": ["2022"], "format": ["json"]}
    shown = int(re.search(r'<p class="summary">(\d+)', html)[1])
    data = json.loads(b"".join(client.get(links["JSON"]).streaming_content))
    assert data["count"] == shown
    excel = client.get(links["Excel"])
    assert excel.status_code == 200
    assert excel["Content-Disposition"].endswith('.xlsx"')
    assert client.get(links["CSV"]).status_code == 200


def test_speaker_event_and_year_pages_offer_their_lists_for_download(client, seeded):
    person = Person.objects.get(slug="pham-minh-chinh")
    links = download_links(page(client, person.get_absolute_url(), data={"year": "2022"}))
    assert parse_qs(urlsplit(links["CSV"]).query) == {"speaker": [person.slug], "year": ["2022"], "format": ["csv"]}
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get(links["CSV"]).streaming_content).decode())))
    assert rows
    assert {row["speaker"] for row in rows} == {person.name}
    event = Event.objects.filter(articles__isnull=False).first()
    html = page(client, event.get_absolute_url())
    assert f"/api/v1/articles/export?event={event.slug}&amp;format=xlsx" in html
    assert f"/api/v1/quotes/export?event={event.slug}&amp;format=json" in html
    links = download_links(page(client, "/years/2022/", data={"month": "12"}))
    data = json.loads(b"".join(client.get(links["JSON"]).streaming_content))
    assert data["count"] == Article.objects.filter(date__year=2022, date__month=12).count()


def test_a_list_longer_than_a_download_says_how_to_narrow_it(client, seeded, settings):
    settings.EXPORT_MAX_ROWS = 2
    html = page(client, "/search/", data={"q": "chuyen doi so"})
    assert '<p class="downloads">' not in html
    assert "Hơn 2 dòng: hãy chọn một năm hoặc bộ lọc khác để tải xuống." in html


def test_one_statement_reported_by_two_articles_is_one_quote_with_both(client, seeded):
    # Seed 000 quotes the Prime Minister directly; seed 001 reports the same words inside a longer passage
    # ("lĩnh vực truyền thông có vị trí quan trọng …; truyền thông là đi đầu chứ không phải đi theo …").
    direct = Quote.objects.get(text__startswith="Truyền thông phải đi đầu")
    carrying = sorted(direct.occurrences.values_list("article__file_name", flat=True))
    assert [name[:3] for name in carrying] == ["000", "001"]
    assert not Quote.objects.filter(text__startswith="lĩnh vực truyền thông có vị trí").exists()
    assert Quote.objects.filter(person__slug="pham-minh-chinh").count() > 5  # other statements stay apart
    event = direct.event
    html = page(client, event.get_absolute_url())
    assert html.count("Truyền thông phải đi đầu chứ không phải đi theo") == 1
    block = html[html.index("Truyền thông phải đi đầu") :].split("</blockquote>")[0]
    assert "Đăng trong 2 bài:" in block
    for article in Article.objects.filter(quote_occurrences__quote=direct):
        assert f'href="{article.get_absolute_url()}#quote-{direct.pk}"' in block
    first = Article.objects.filter(quote_occurrences__quote=direct).order_by("date", "pk").first()
    assert client.get(f"/quotes/{direct.pk}/")["Location"] == f"{first.get_absolute_url()}#quote-{direct.pk}"
    other = Article.objects.filter(quote_occurrences__quote=direct).exclude(pk=first.pk).get()
    article_html = page(client, first.get_absolute_url())
    assert "Cũng được đưa tin trong" in article_html
    assert f'href="{other.get_absolute_url()}#quote-{direct.pk}"' in article_html
