"""Sitemaps: an index at /sitemap.xml naming one sitemap per section and page (10,000 URLs each).

A sitemap may hold 50,000 URLs; pages of 10,000 keep each one cheap to build
(a fifth of the rows), and the views are cached (articles/urls.py), so a crawler
or anyone else asking again costs nothing until the cache expires. Items are
read with just the columns their get_absolute_url needs.

Every page is listed in both languages, each entry naming the other as its `hreflang` alternate (and the
Vietnamese one as `x-default`), as search engines ask of a site with a URL per language.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles import overview
from articles.models import Article, Event, Person

PAGE_SIZE = 10_000


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class ArticleSitemap(BilingualSitemap):
    changefreq = "monthly"
    limit = PAGE_SIZE

    def items(self):
        return Article.objects.only("pk", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at

    def get_latest_lastmod(self):
        # Django's default reads every article for the index's date (20 s at a million); the
        # section sitemaps carry each article's own.
        return None


class EventSitemap(BilingualSitemap):
    limit = PAGE_SIZE

    def items(self):
        return Event.objects.only("slug").order_by("pk")


class PersonSitemap(BilingualSitemap):
    limit = PAGE_SIZE

    def items(self):
        return Person.objects.speakers().only("slug").order_by("pk")


class YearSitemap(BilingualSitemap):
    def items(self):
        return sorted(row["year"] for row in overview.current()["years"] if row["articles"])

    def location(self, item):
        return reverse("articles:year", kwargs={"year": item})


SITEMAPS = {"articles": ArticleSitemap, "events": EventSitemap, "people": PersonSitemap, "years": YearSitemap}
