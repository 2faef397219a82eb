"""Pages: thin views over the models and `articles.search`."""

from django.core.paginator import Paginator
from django.db.models import Count, F
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from archive.routers import reads_from_replica
from articles import charts, citation, downloads, overview, structured_data
from articles import search as engine
from articles.models import Article, Event, Person, PersonRedirect, Quote, QuoteOccurrence, Role, Source
from articles.querystrings import toggled, with_params, year_in

PER_PAGE = 50  # articles, events or quotes per page of the browse pages
SPEECHES_SHOWN = 10  # a speaker's latest events (one spoke at 36,000 at a million articles)


def home(request):
    summary = overview.current()
    context = {
        "counts": {name: summary[name] for name in ("articles", "events", "speakers", "quotes", "reported")},
        "first_date": summary["first_date"],
        "last_date": summary["last_date"],
        "years": [{"year": row["year"], "count": row["articles"]} for row in summary["years"] if row["articles"]],
        "latest_events": Event.objects.filter(date__isnull=False).order_by(F("date").desc(), "pk")[:8],
        "top_speakers": overview.most_quoted(10),
    }
    return render(request, "articles/home.html", context)


def year_detail(request, year: int):
    """A year's events and articles, a month and a page at a time (40,000 articles a year at a million)."""
    if year_in(str(year)) is None:
        raise Http404("No articles in that year")
    years = [row["year"] for row in overview.current()["years"]]
    month = _number_param(request, "month")
    if month is not None and not 1 <= month <= 12:
        raise Http404("month must be 1 to 12")
    articles = Article.objects.filter(date__year=year)
    events = Event.objects.filter(date__year=year)
    per_month = dict(articles.annotate(m=ExtractMonth("date")).values_list("m").annotate(n=Count("pk")).order_by())
    if not per_month and not events.exists() and not (years and min(years) < year < max(years)):
        # A year inside the archive's span without articles is a page that says so (the year charts draw
        # it as a bar at 0); outside the span it is no page at all.
        raise Http404("No articles in that year")
    if month is not None:
        articles, events = articles.filter(date__month=month), events.filter(date__month=month)
    articles = articles.select_related("source").order_by("date", "pk")
    events = events.with_article_count().order_by("date", "pk")
    earlier = [y for y in years if y < year]
    later = [y for y in years if y > year]
    article_page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    first_pages = {"page": None, "events_page": None}
    return render(
        request,
        "articles/year_detail.html",
        {
            "year": year,
            "month": month,
            "months": [
                {"month": m, "count": per_month.get(m, 0), "url": with_params(request.GET, month=m, **first_pages)}
                for m in range(1, 13)
            ],
            "all_months_url": with_params(request.GET, month=None, **first_pages),
            "articles": article_page,
            "events": Paginator(events, PER_PAGE).get_page(request.GET.get("events_page")),
            "downloads": downloads.links(
                "export_articles", [("year", year), ("month", month)], article_page.paginator.count
            ),
            "previous_year": max(earlier) if earlier else None,
            "next_year": min(later) if later else None,
        },
    )


def people_list(request):
    counts = overview.current()["quote_counts"]
    people = list(Person.objects.speakers().order_by("name"))
    # Each person's latest role, one row per person (PostgreSQL's DISTINCT ON).
    latest_roles = {
        role.person_id: role
        for role in Role.objects.filter(person__in=people)
        .order_by("person_id", F("last_seen").desc(nulls_last=True), "-pk")
        .distinct("person_id")
    }
    for person in people:
        person.quote_count = counts.get(person.pk, 0)
        person.latest_role = latest_roles.get(person.pk)
    return render(request, "articles/person_list.html", {"people": people})


def _shown_count(count: int, *, approximate: bool) -> str:
    """A tab's count: grouped as the language writes thousands (942.600, 942,600), "≈" when estimated."""
    return f"{'≈ ' if approximate else ''}{number_format(count, force_grouping=True)}"


@reads_from_replica
def search(request):
    params = engine.SearchParams.from_querydict(request.GET)
    results = engine.search(params)
    if results.count == 0 and results.more_apart:
        # Nothing has the syllables side by side, some have them apart: those are the results, at an
        # address of their own, so that their pages, downloads and feed agree with what is shown.
        return redirect(request.path + with_params(request.GET, apart="1", page=None))
    rows = []
    for item in results.page:
        text = item.body if params.type == "article" else item.text
        row = {"item": item, "snippet": engine.highlight(text, results.query, exact=results.exact)}
        if params.type == "article":
            row["title"] = engine.highlight(item.title, results.query, exact=results.exact, max_words=None)
        rows.append(row)
    for name, facet in results.facets.items():
        for value in facet.values:
            value["url"] = toggled(request.GET, name, str(value["value"]))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    tabs = {}
    for kind in engine.SearchParams.TYPES:
        tab = querystring.copy()
        tab["type"] = kind
        for facet_name in ("speaker", "event", "source"):
            tab.pop(facet_name, None)  # facet values differ between articles and quotes
        tabs[kind] = f"?{tab.urlencode()}"
    other_type = "quote" if params.type == "article" else "article"
    counts = {
        params.type: _shown_count(results.count, approximate=results.approximate),
        other_type: _shown_count(results.other_count, approximate=results.other_approximate),
    }
    return render(
        request,
        "articles/search.html",
        {
            "params": params,
            "results": results,
            "rows": rows,
            "downloads": downloads.links("search_export", downloads.pairs(querystring), results.count),
            "querystring": querystring.urlencode(),
            "apart_url": with_params(request.GET, apart="1", page=None),
            "words_url": with_params(request.GET, apart=None, page=None),
            # The feed is this search, newest first, whatever page and order the reader is on.
            "feed_url": reverse("articles:search-feed") + with_params(request.GET, page=None, sort=None),
            "tab_urls": tabs,
            "type_counts": counts,
            "histogram": charts.year_bars({row["year"]: row["count"] for row in results.histogram}),
        },
    )


def _body_with_quotes(article: Article):
    """The body as HTML paragraphs, every quote occurrence wrapped in a linkable <q>."""
    occurrences = list(article.quote_occurrences.select_related("quote__person").order_by("start"))
    body = article.body
    link_label = escape(_("Link to this quote"))
    pieces, position = [], 0
    for occurrence in occurrences:
        if occurrence.start < position:
            continue
        quote = occurrence.quote
        pieces.append(escape(body[position : occurrence.start]))
        speaker = (
            f'<a class="speaker" href="{escape(quote.person.get_absolute_url())}">{escape(quote.person.name)}</a>'
            if quote.person
            else ""
        )
        # The closing quotation mark stays with the quote; the links come after it.
        end = occurrence.end + (1 if body[occurrence.end : occurrence.end + 1] in ('"', "”") else 0)
        kind = "direct" if occurrence.direct else "reported"
        pieces.append(
            f'<q id="quote-{quote.pk}" class="quote {kind}">'
            f"{escape(body[occurrence.start : occurrence.end])}</q>{escape(body[occurrence.end : end])}"
            f'<a class="quote-link" href="#quote-{quote.pk}" aria-label="{link_label}">¶</a>{speaker}'
        )
        position = end
    pieces.append(escape(body[position:]))
    html = "".join(pieces)
    return mark_safe("".join(f"<p>{paragraph}</p>" for paragraph in html.split("\n") if paragraph.strip()))


def article_detail(request, pk):
    article = get_object_or_404(Article.objects.select_related("source", "event"), pk=pk)
    occurrences = article.quote_occurrences.select_related("quote__person", "quote__role").order_by("start")
    carrying = _articles_carrying({o.quote_id for o in occurrences if o.direct})
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "body_html": _body_with_quotes(article),
            "occurrences": occurrences,
            "permalink": request.build_absolute_uri(article.get_absolute_url()),
            "speeches": article.speeches.select_related("person", "role"),
            "citations": [
                {
                    "occurrence": o,
                    "text": citation.quote_citation(o, request.build_absolute_uri(article.get_absolute_url())),
                    "also_in": [other for other in carrying.get(o.quote_id, []) if other.pk != article.pk],
                }
                for o in occurrences
                if o.direct
            ],
            "article_citation": citation.article_citation(
                article, request.build_absolute_uri(article.get_absolute_url())
            ),
            "structured_data": structured_data.article_ld(
                article,
                request.build_absolute_uri(article.get_absolute_url()),
                [o.quote for o in occurrences if o.direct],
            ),
        },
    )


def _articles_carrying(quote_ids) -> dict[int, list[Article]]:
    """Each quote's articles, earliest first: one statement reported by several outlets is one quote."""
    carrying: dict[int, list[Article]] = {}
    occurrences = QuoteOccurrence.objects.filter(quote_id__in=quote_ids).select_related("article__source")
    for occurrence in occurrences.order_by(F("article__date").asc(nulls_last=True), "article_id", "start"):
        articles = carrying.setdefault(occurrence.quote_id, [])
        if occurrence.article not in articles:
            articles.append(occurrence.article)
    return carrying


def quote_permalink(request, pk):
    """/quotes/N/ → the first article carrying the quote, scrolled to it and highlighted."""
    occurrence = (
        QuoteOccurrence.objects.filter(quote_id=pk).select_related("article").order_by("article__date", "start").first()
    )
    if occurrence is None:
        raise Http404("No article carries this quote")
    return redirect(f"{occurrence.article.get_absolute_url()}#quote-{pk}")


def _number_param(request, name: str = "year") -> int | None:
    """An optional number (a year, a month) from the query string; anything else is a missing page."""
    value = request.GET.get(name, "")
    if not value:
        return None
    number = year_in(value)  # a month is a number a year's bounds also hold
    if number is None:
        raise Http404(f"{name} must be a number of at most four digits, 1 or more")
    return number


def person_detail(request, slug):
    person = Person.objects.filter(slug=slug).first()
    if person is None:
        moved = get_object_or_404(PersonRedirect.objects.select_related("person"), old_slug=slug)
        return redirect(moved.person, permanent=True)  # merged by an editor: the old URL still works
    # One speaker may have tens of thousands of quotes (99,000 at a million articles): the page
    # lists them a page at a time, and a year at a time when a year is chosen.
    quotes = person.quotes.order_by()
    per_year = overview.count_per_year(quotes)
    year = _number_param(request)
    if year is not None:
        quotes = quotes.filter(date__year=year)
    listed = quotes.select_related("event", "role").order_by(F("date").desc(nulls_last=True), "pk")
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    by_year: dict = {}
    for quote in page:
        by_year.setdefault(quote.date.year if quote.date else None, []).append(quote)
    speeches = person.speeches.select_related("event", "role").order_by(F("event__date").desc(nulls_last=True), "pk")
    return render(
        request,
        "articles/person_detail.html",
        {
            "person": person,
            "roles": person.roles.order_by(F("first_seen").asc(nulls_last=True)),
            "quotes_by_year": list(by_year.items()),
            "quote_count": page.paginator.count if year is None else person.quotes.count(),
            "year": year,
            "years": [
                {"year": y, "count": n, "url": with_params(request.GET, year=y, page=None)}
                for y, n in sorted(per_year.items(), reverse=True)
            ],
            "all_years_url": with_params(request.GET, year=None, page=None),
            "page": page,
            "chart": charts.year_bars(per_year),
            "speeches": speeches[:SPEECHES_SHOWN],
            "speech_count": speeches.count(),
            "downloads": downloads.links(
                "export_quotes", [("speaker", person.slug), ("year", year)], page.paginator.count
            ),
            "structured_data": structured_data.person_ld(person, request.build_absolute_uri(person.get_absolute_url())),
        },
    )


# An event page shows each speaker's first quotes; a press conference's hundreds go to the speaker's page.
QUOTES_PER_SPEAKER = 10


def event_detail(request, slug):
    event = get_object_or_404(Event, slug=slug)
    quotes = QuoteOccurrence.objects.filter(quote__event=event).select_related(
        "quote__person", "quote__role", "article"
    )
    speakers: dict = {}
    for speech in event.speeches.select_related("person", "role").order_by("person__name"):
        speakers[speech.person_id] = {"speech": speech, "quotes": []}
    seen = set()
    for occurrence in quotes.order_by("article__date", "article_id", "start").iterator(chunk_size=500):
        quote = occurrence.quote
        if quote.pk in seen or quote.person_id not in speakers:
            continue
        seen.add(quote.pk)
        said = speakers[quote.person_id]
        if len(said["quotes"]) < QUOTES_PER_SPEAKER:
            said["quotes"].append(quote)
        else:
            said["more"] = said.get("more", 0) + 1  # the speaker's page lists them all
    shown = [quote for said in speakers.values() for quote in said["quotes"]]
    carrying = _articles_carrying([quote.pk for quote in shown])
    for quote in shown:
        quote.carried_by = carrying.get(quote.pk, [])
    articles = event.articles.select_related("source").order_by("date", "title", "pk")
    article_page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/event_detail.html",
        {
            "event": event,
            "articles": article_page,
            "speakers": sorted(
                speakers.values(), key=lambda s: (-len(s["quotes"]) - s.get("more", 0), s["speech"].person.name)
            ),
            "series": event.series(),
            "quote_downloads": downloads.links(
                "export_quotes", [("event", slug)], Quote.objects.filter(event=event).count()
            ),
            "article_downloads": downloads.links("export_articles", [("event", slug)], article_page.paginator.count),
            "structured_data": structured_data.event_ld(event, request.build_absolute_uri(event.get_absolute_url())),
        },
    )


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    return render(
        request,
        "articles/source_detail.html",
        {"source": source, "articles": source.articles.order_by("-date")[:200]},
    )


def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever a page's <link rel="icon"> says. Not permanent:
    the icon's static name carries a hash of its content."""
    return redirect(static("favicon.svg"))
