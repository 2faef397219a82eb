from django.contrib.sitemaps import views as sitemaps
from django.urls import path
from django.views.decorators.cache import cache_page
from django.views.generic import TemplateView

from articles import feeds, views
from articles.sitemaps import SITEMAPS

# A sitemap page reads 10,000 rows (2-3 s for 50,000 at 31,000 articles): built once an hour at most.
SITEMAP_CACHE_SECONDS = 60 * 60

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/feed/", feeds.SearchFeed(), name="search-feed"),
    path("years/<int:year>/", views.year_detail, name="year"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("quotes/<int:pk>/", views.quote_permalink, name="quote"),
    path("feeds/articles/", feeds.LatestArticlesFeed(), name="articles-feed"),
    path("people/", views.people_list, name="people"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("people/<slug:slug>/feed/", feeds.PersonQuotesFeed(), name="person-feed"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path(
        "sitemap.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(SITEMAP_CACHE_SECONDS)(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
    path("favicon.ico", views.favicon),
    path(
        "opensearch.xml",
        TemplateView.as_view(template_name="opensearch.xml", content_type="application/opensearchdescription+xml"),
        name="opensearch",
    ),
]
