from django.contrib.sitemaps import Sitemap
from django.db.models.functions import ExtractYear
from django.urls import reverse

from articles.models import Article, Event, Person


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class EventSitemap(Sitemap):
    def items(self):
        return Event.objects.order_by("pk")


class PersonSitemap(Sitemap):
    def items(self):
        return Person.objects.filter(speeches__isnull=False).distinct().order_by("pk")


class YearSitemap(Sitemap):
    def items(self):
        years = Article.objects.filter(date__isnull=False).annotate(year=ExtractYear("date"))
        return sorted(set(years.values_list("year", flat=True)))

    def location(self, item):
        return reverse("articles:year", kwargs={"year": item})


SITEMAPS = {"articles": ArticleSitemap, "events": EventSitemap, "people": PersonSitemap, "years": YearSitemap}
