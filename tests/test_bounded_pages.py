"""Public pages whose size grows with the archive stay bounded: an event's articles come a page at a
time and each speaker's quotes a few at a time, sitemaps are built once and served from the cache,
and all of them share the search page's rate limit."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils.html import escape

from articles import views
from articles.models import Article, Event

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())


def review_2022():
    return Event.objects.get(date__year=2022, date__month=12)


def test_an_events_articles_come_a_page_at_a_time(client, seeded, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 1)
    event = review_2022()
    assert event.articles.count() == 2
    first = client.get(event.get_absolute_url()).content.decode()
    second = client.get(event.get_absolute_url() + "?page=2").content.decode()
    titles = [escape(t) for t in event.articles.order_by("date", "title", "pk").values_list("title", flat=True)]
    assert titles[0] in first
    assert titles[1] not in first
    assert titles[1] in second
    assert 'rel="next"' in first


def test_an_event_shows_each_speakers_first_quotes_and_links_to_the_rest(client, seeded, monkeypatch):
    monkeypatch.setattr(views, "QUOTES_PER_SPEAKER", 1)
    page = client.get(review_2022().get_absolute_url()).content.decode()
    assert "trích dẫn nữa ở trang của người nói" in page  # "and N more quotes on the speaker's page"


def test_a_sitemap_is_built_once_and_served_from_the_cache(client, seeded):
    cache.clear()
    first = client.get("/sitemap-articles.xml").content
    Article.objects.filter(pk=Article.objects.order_by("pk").first().pk).delete()
    assert client.get("/sitemap-articles.xml").content == first


def test_event_pages_and_sitemaps_share_the_search_rate_limit(client, seeded, settings):
    settings.SEARCH_RATE_LIMIT = 2
    url = review_2022().get_absolute_url()
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_the_english_addresses_share_the_same_limits(client, seeded, settings):
    settings.SEARCH_RATE_LIMIT = 2
    statuses = [
        client.get(url, {"q": "chuyen doi so"}).status_code for url in ("/search/", "/en/search/", "/en/search/")
    ]
    assert statuses == [200, 200, 429]
