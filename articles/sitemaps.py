"""Sitemaps: an index at /sitemap.xml naming one sitemap per section and page (50,000 URLs each).

A single sitemap holds at most 50,000 URLs; at a million articles the archive
needs 20 pages of articles and 3 of events, which only an index makes
reachable. Items are read with just the columns their get_absolute_url needs.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles import overview
from articles.models import Article, Event, Person


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.only("pk", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at

    def get_latest_lastmod(self):
        # Django's default reads every article for the index's date (20 s at a million); the
        # section sitemaps carry each article's own.
        return None


class EventSitemap(Sitemap):
    def items(self):
        return Event.objects.only("slug").order_by("pk")


class PersonSitemap(Sitemap):
    def items(self):
        return Person.objects.speakers().only("slug").order_by("pk")


class YearSitemap(Sitemap):
    def items(self):
        return sorted(row["year"] for row in overview.current()["years"] if row["articles"])

    def location(self, item):
        return reverse("articles:year", kwargs={"year": item})


SITEMAPS = {"articles": ArticleSitemap, "events": EventSitemap, "people": PersonSitemap, "years": YearSitemap}
