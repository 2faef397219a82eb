"""Atom feeds: the latest articles, a speaker's quotes, any search."""

import datetime as dt
from typing import NamedTuple

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from articles import search as engine
from articles.extraction.normalize import CONTROL_CHARACTERS
from articles.models import Article, Person
from articles.querystrings import with_params

FEED_SIZE = 30


def _without_controls(value):
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


class CleanAtom1Feed(Atom1Feed):
    """Atom without the control characters XML 1.0 cannot hold: one typed into a title by an editor
    never turns a feed into a server error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_without_controls, args), **{k: _without_controls(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_without_controls, args), **{k: _without_controls(v) for k, v in kwargs.items()})


def _moment(date) -> dt.datetime | None:
    return timezone.make_aware(dt.datetime.combine(date, dt.time(12))) if date else None


class LatestArticlesFeed(Feed):
    feed_type = CleanAtom1Feed
    title = _("Vietnamese government news archive: latest articles")
    subtitle = _("Who said what, when, at which event.")

    def link(self):
        return reverse("articles:home")

    def items(self):
        # Latest added: ids grow with every load, so the primary key gives the order without a sort
        # of every article by created_at (1.5 s at a million articles).
        return Article.objects.select_related("source").order_by("-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lede

    def item_pubdate(self, item):
        return _moment(item.date) or item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class PersonQuotesFeed(Feed):
    feed_type = CleanAtom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Person, slug=slug)

    def title(self, obj):
        return _("Quotes of %(name)s") % {"name": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        # The speaker page's order, walked in its index (quote_person_newest_idx).
        return obj.quotes.select_related("person").order_by(F("date").desc(nulls_last=True), "pk")[:FEED_SIZE]

    def item_title(self, item):
        return str(item)

    def item_description(self, item):
        return item.text

    def item_link(self, item):
        return item.get_absolute_url() or item.person.get_absolute_url()

    def item_pubdate(self, item):
        return _moment(item.date)


class SearchFollowed(NamedTuple):
    params: engine.SearchParams
    page_url: str


class SearchFeed(Feed):
    feed_type = CleanAtom1Feed

    def get_object(self, request):
        params = engine.SearchParams.from_querydict(request.GET)
        if not params.q.strip():
            raise Http404("A search feed needs a query")
        params.sort, params.page = "newest", 1
        # The feed's own link is the search page it follows, every filter included, encoded
        # (a raw `&` or `#` in the query would otherwise cut or change the link).
        return SearchFollowed(params, reverse("articles:search") + with_params(request.GET, page=None, sort=None))

    def title(self, obj):
        return _("Search: %(q)s") % {"q": obj.params.q}

    def link(self, obj):
        return obj.page_url

    def items(self, obj):
        return list(engine.search(obj.params).page)

    def item_title(self, item):
        return getattr(item, "title", None) or str(item)

    def item_description(self, item):
        return getattr(item, "lede", None) or item.text

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return _moment(item.date)
