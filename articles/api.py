"""The read-only JSON API, /api/v1/ (django-ninja: OpenAPI schema at /api/v1/openapi.json, docs at /api/docs).

Search shares `articles.search` with the web page; lists filter and paginate;
details are by id (articles, quotes) or slug (speakers, events); any search or
list can be downloaded as streamed CSV or JSON (`articles.exports`).
"""

import datetime as dt
from typing import Annotated, Literal

from django.db.models import F, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema
from ninja.pagination import PageNumberPagination, paginate

from archive.routers import reads_from_replica
from articles import citation, exports, overview
from articles import search as engine
from articles.models import Article, Event, Person, PersonRedirect, Quote


class ArchiveAPI(NinjaAPI):
    """Documents the answers every operation may give besides its own: 422 and 429."""

    EXTRA_RESPONSES = {
        "422": {
            "description": "A parameter is invalid; `detail` says which.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
                        "required": ["detail"],
                    }
                }
            },
        },
        "429": {
            "description": "Too many requests from this client; retry after `Retry-After` seconds.",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
                }
            },
        },
    }

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                # django-ninja keys its own responses by int, openapi_extra by str: one key per status, or
                # the JSON holds "200" twice and Swagger UI refuses it. The operation's own (later) wins.
                operation["responses"] = {str(code): answer for code, answer in operation["responses"].items()}
                for code, response in self.EXTRA_RESPONSES.items():
                    if code == "422" and not operation.get("parameters"):
                        continue
                    operation["responses"].setdefault(code, response)
        return schema


api = ArchiveAPI(
    title="Vietnamese Government News Archive API",
    version="1",
    description="Who said what, when, at which event. Read-only; GET requests from any origin.",
    urls_namespace="api",
)

PAGE_SIZE = 50


# --- schemas ----------------------------------------------------------------------------


class PersonRef(Schema):
    name: str
    slug: str


class EventRef(Schema):
    name: str
    slug: str
    url: str
    date: dt.date | None


class SourceRef(Schema):
    name: str
    slug: str


class RoleOut(Schema):
    title: str
    organisation: str
    first_seen: dt.date | None
    last_seen: dt.date | None


class ArticleOut(Schema):
    id: int
    url: str
    title: str
    title_derived: bool
    date: dt.date | None
    source: SourceRef | None
    event: EventRef | None
    file: str
    lede: str
    speakers: list[PersonRef]


class QuoteOut(Schema):
    id: int
    url: str
    text: str
    direct: bool
    speaker: PersonRef | None
    role: str | None
    date: dt.date | None
    event: EventRef | None
    articles: list[int]
    method: str
    confidence: float
    review_status: str


class ArticleDetail(ArticleOut):
    body: str
    quotes: list[QuoteOut]


class PersonOut(Schema):
    name: str
    slug: str
    url: str
    aliases: list[str]
    roles: list[RoleOut]
    quote_count: int


class EventOut(Schema):
    name: str
    slug: str
    url: str
    kind: str
    date: dt.date | None
    place: str
    organiser: str
    reviews_year: int | None
    articles: list[int]


class YearOut(Schema):
    year: int
    articles: int
    events: int
    quotes: int


class SearchResult(Schema):
    type: Literal["article", "quote"]
    id: int
    url: str
    title: str | None = None
    text: str | None = None
    snippet: str = Field(
        description="HTML: the matching passage, escaped, with each hit wrapped in <mark>…</mark>; insert it as "
        "HTML (it holds no other markup), or strip the tags for plain text"
    )
    date: dt.date | None
    speaker: PersonRef | None
    role: str | None = Field(None, description="quotes: the speaker's role when the words were said")
    direct: bool | None = Field(
        None, description="quotes: true for words in quotation marks, false for reported speech"
    )
    event: dict | None
    file: str | None


class FacetValue(Schema):
    value: str | int
    label: str | None = None
    count: int


class SearchOut(Schema):
    count: int
    count_approximate: bool = Field(False, description="count and facet counts estimated from a 1% sample")
    ranked_among_newest: int | None = Field(
        None,
        description=(
            "relevance was computed over this many newest matches only (very common queries, and unaccented "
            "ones past 2,500 matches)"
        ),
    )
    page: int
    num_pages: int
    exact: bool
    more_ignoring_diacritics: int = Field(
        description="with fewer than 5 results typed with diacritics: how many more match without them (fold=1); "
        "not counted (0) when no result has the syllables side by side but some have them apart (more_apart)",
    )
    more_apart: int = Field(
        0,
        description="syllables typed one after another are read as one word; this many more results have them "
        "apart (repeat the search with apart=1 to list them)",
    )
    together: int | None = Field(
        None,
        description="with apart=1: how many of the results have the syllables side by side (null when the query "
        "reads the same either way)",
    )
    results: list[SearchResult]
    facets: dict[str, list[FacetValue]]
    suggestions: list[dict]


class ErrorOut(Schema):
    detail: str


class CitationOut(Schema):
    text: str
    bibtex: str
    csl: dict


# --- helpers ------------------------------------------------------------------------------


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def person_ref(person: Person | None) -> dict | None:
    return {"name": person.name, "slug": person.slug} if person else None


def event_ref(request, event: Event | None) -> dict | None:
    if event is None:
        return None
    return {
        "name": event.name,
        "slug": event.slug,
        "url": absolute(request, event.get_absolute_url()),
        "date": event.date,
    }


def article_out(request, article: Article) -> dict:
    return {
        "id": article.pk,
        "url": absolute(request, article.get_absolute_url()),
        "title": article.title,
        "title_derived": article.title_derived,
        "date": article.date,
        "source": {"name": article.source.name, "slug": article.source.slug} if article.source else None,
        "event": event_ref(request, article.event),
        "file": article.file_name,
        "lede": article.lede,
        "speakers": [person_ref(s.person) for s in article.speeches.all()],
    }


def quote_out(request, quote: Quote) -> dict:
    return {
        "id": quote.pk,
        "url": absolute(request, quote.get_absolute_url()),
        "text": quote.text,
        "direct": quote.direct,
        "speaker": person_ref(quote.person),
        "role": str(quote.role) if quote.role else None,
        "date": quote.date,
        "event": event_ref(request, quote.event),
        "articles": sorted({o.article_id for o in quote.occurrences.all()}),
        "method": quote.method,
        "confidence": quote.confidence,
        "review_status": quote.review_status,
    }


class SerializedPage:
    """A queryset seen through a serializer, for ninja's paginator: it counts in the
    database and serialises only the slice the requested page shows."""

    MAX_OFFSET = 2**62

    def __init__(self, queryset, serialize):
        self.queryset, self.serialize = queryset, serialize

    def all(self):  # the paginator counts with .all().count()
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, items: slice) -> list[dict]:
        if (items.stop or 0) > self.MAX_OFFSET:  # past any archive, and past PostgreSQL's bigint OFFSET
            return []
        return [self.serialize(obj) for obj in self.queryset[items]]


def _articles():
    return (
        Article.objects.select_related("source", "event")
        .prefetch_related("speeches__person")
        .defer("raw_text", "search_exact", "search_folded")
    )


def _quotes():
    return (
        Quote.objects.select_related("person", "role", "event")
        .prefetch_related("occurrences__article")
        .defer("search_exact", "search_folded")
    )


Year = Annotated[int, Field(ge=1900, le=2100)]


class ArticleFilters(Schema):
    year: Year | None = None
    month: int | None = Field(None, ge=1, le=12, description="with `year`: one month of it")
    source: str | None = None
    event: str | None = None
    speaker: str | None = None

    def apply(self, queryset):
        if self.year:
            queryset = queryset.filter(date__year=self.year)
            if self.month:
                queryset = queryset.filter(date__month=self.month)
        if self.source:
            queryset = queryset.filter(source__slug=self.source)
        if self.event:
            queryset = queryset.filter(event__slug=self.event)
        if self.speaker:
            queryset = queryset.filter(speeches__person__slug=self.speaker).distinct()
        return queryset


class QuoteFilters(Schema):
    year: Year | None = None
    speaker: str | None = None
    event: str | None = None
    direct: bool | None = None
    review_status: Literal["machine", "reviewed"] | None = None

    def apply(self, queryset):
        if self.year:
            queryset = queryset.filter(date__year=self.year)
        if self.speaker:
            # By id, not through a join on the slug: the planner can then walk the speaker's quotes
            # in their date index (99,000 for one speaker at a million articles: 0.7 s → ms).
            person = Person.objects.filter(slug=self.speaker).values_list("pk", flat=True).first()
            queryset = queryset.filter(person_id=person) if person else queryset.none()
        if self.event:
            queryset = queryset.filter(event__slug=self.event)
        if self.direct is not None:
            queryset = queryset.filter(direct=self.direct)
        if self.review_status:
            queryset = queryset.filter(review_status=self.review_status)
        return queryset


EXPORT_RESPONSES = {
    "responses": {
        "200": {
            "description": "A streamed download, named after the request and its time; the JSON's `query` key "
            "records the request, and a CSV starts with its header row.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        },
        "422": {
            "description": "More rows than one download holds (`max_rows`): narrow the filters. Also an "
            "invalid parameter, as everywhere (`detail` is then the list of errors).",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "detail": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}]},
                            "max_rows": {"type": "integer"},
                            "rows_at_least": {"type": "integer"},
                        },
                    }
                }
            },
        },
    }
}


# --- search -----------------------------------------------------------------------------------


@api.get("/search", response=SearchOut, tags=["search"])
@reads_from_replica
def search(
    request,
    q: str = "",
    type: Literal["article", "quote"] = "article",
    year: list[str] = Query(default=[]),
    speaker: list[str] = Query(default=[]),
    event: list[str] = Query(default=[]),
    source: list[str] = Query(default=[]),
    sort: Literal["relevance", "newest", "oldest"] = "relevance",
    page: str = "1",
    fold: str = "",
    apart: str = "",
):
    """Full-text search, same engine and parameters as the web page. Repeat a filter to select several values."""
    params = engine.SearchParams.from_querydict(request.GET)
    results = engine.search(params)
    rows = []
    for item in results.page:
        if params.type == "article":
            row = {
                "type": "article",
                "title": item.title,
                "snippet": str(engine.highlight(item.body, results.query, exact=results.exact)),
                "file": item.file_name,
                "speaker": None,
            }
        else:
            first = item.occurrences.select_related("article").order_by("article__date", "start").first()
            row = {
                "type": "quote",
                "text": item.text,
                "snippet": str(engine.highlight(item.text, results.query, exact=results.exact)),
                "file": first.article.file_name if first else None,
                "speaker": person_ref(item.person),
                "role": str(item.role) if item.role else None,
                "direct": item.direct,
            }
        event_link = item.event
        row.update(
            {
                "id": item.pk,
                "url": absolute(request, item.get_absolute_url()),
                "date": item.date,
                "event": {"name": event_link.name, "url": absolute(request, event_link.get_absolute_url())}
                if event_link
                else None,
            }
        )
        rows.append(row)
    return {
        "count": results.count,
        "count_approximate": results.approximate,
        "ranked_among_newest": results.ranked_window or None,
        "page": results.page.number,
        "num_pages": results.page.paginator.num_pages,
        "exact": results.exact,
        "more_ignoring_diacritics": results.more_ignoring_diacritics,
        "more_apart": results.more_apart,
        "together": results.together,
        "results": rows,
        "facets": {
            name: [
                {"value": v["value"], "count": v["count"]}
                if name == "year"
                else {"value": v["value"], "label": v["label"], "count": v["count"]}
                for v in facet.values
            ]
            for name, facet in results.facets.items()
        },
        "suggestions": results.suggestions,
    }


@api.get("/search/export", tags=["search"], openapi_extra=EXPORT_RESPONSES)
def search_export(
    request, q: str = "", type: Literal["article", "quote"] = "article", format: Literal["csv", "json", "xlsx"] = "csv"
):
    """Every result of a search (all pages), streamed as CSV or JSON."""
    params = engine.SearchParams.from_querydict(request.GET)
    queryset = engine.search_queryset(params)
    return exports.download(request, queryset, kind=params.type, format=format, name="search")


# --- articles ----------------------------------------------------------------------------------


@api.get("/articles", response=list[ArticleOut], tags=["articles"])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_articles(request, filters: ArticleFilters = Query(...)):
    """Articles, newest first."""
    articles = filters.apply(_articles()).order_by(F("date").desc(nulls_last=True), "pk")
    return SerializedPage(articles, lambda a: article_out(request, a))


@api.get("/articles/export", tags=["articles"], openapi_extra=EXPORT_RESPONSES)
def export_articles(request, filters: ArticleFilters = Query(...), format: Literal["csv", "json", "xlsx"] = "csv"):
    queryset = filters.apply(Article.objects.all()).order_by(F("date").desc(nulls_last=True), "pk")
    return exports.download(request, queryset, kind="article", format=format, name="articles")


@api.get("/articles/{article_id}", response={200: ArticleDetail, 404: ErrorOut}, tags=["articles"])
def get_article(request, article_id: int):
    article = get_object_or_404(_articles(), pk=article_id)
    quotes = _quotes().filter(occurrences__article=article).distinct().order_by("pk")
    return {**article_out(request, article), "body": article.body, "quotes": [quote_out(request, q) for q in quotes]}


@api.get("/articles/{article_id}/citation", response={200: CitationOut, 404: ErrorOut}, tags=["articles"])
def cite_article(request, article_id: int):
    """The article as a plain-text citation, BibTeX and CSL-JSON."""
    article = get_object_or_404(Article.objects.select_related("source"), pk=article_id)
    return citation.article_formats(article, absolute(request, article.get_absolute_url()))


# --- quotes --------------------------------------------------------------------------------------


@api.get("/quotes", response=list[QuoteOut], tags=["quotes"])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_quotes(request, filters: QuoteFilters = Query(...)):
    quotes = filters.apply(_quotes()).order_by(F("date").desc(nulls_last=True), "pk")
    return SerializedPage(quotes, lambda q: quote_out(request, q))


@api.get("/quotes/export", tags=["quotes"], openapi_extra=EXPORT_RESPONSES)
def export_quotes(request, filters: QuoteFilters = Query(...), format: Literal["csv", "json", "xlsx"] = "csv"):
    queryset = filters.apply(Quote.objects.all()).order_by(F("date").desc(nulls_last=True), "pk")
    return exports.download(request, queryset, kind="quote", format=format, name="quotes")


@api.get("/quotes/{quote_id}", response={200: QuoteOut, 404: ErrorOut}, tags=["quotes"])
def get_quote(request, quote_id: int):
    return quote_out(request, get_object_or_404(_quotes(), pk=quote_id))


@api.get("/quotes/{quote_id}/citation", response={200: CitationOut, 404: ErrorOut}, tags=["quotes"])
def cite_quote(request, quote_id: int):
    """The quote as a plain-text citation, BibTeX and CSL-JSON."""
    quote = get_object_or_404(_quotes(), pk=quote_id)
    occurrence = quote.occurrences.select_related("article__source").order_by("article__date", "start").first()
    if occurrence is None:
        return 404, {"detail": "This quote is no longer carried by any article."}
    return citation.quote_formats(occurrence, absolute(request, occurrence.article.get_absolute_url()))


# --- speakers, events, years -------------------------------------------------------------------------


def person_out(request, person: Person) -> dict:
    return {
        "name": person.name,
        "slug": person.slug,
        "url": absolute(request, person.get_absolute_url()),
        "aliases": person.aliases,
        "roles": [
            {"title": r.title, "organisation": r.organisation, "first_seen": r.first_seen, "last_seen": r.last_seen}
            for r in person.roles.all()
        ],
        "quote_count": person.quote_count,
    }


def _people():
    return Person.objects.with_quote_count().prefetch_related("roles")


@api.get("/speakers", response=list[PersonOut], tags=["speakers"])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_speakers(request, q: str = ""):
    """People who spoke at an event, with their roles. `q` filters by name (with or without diacritics)."""
    people = _people().speakers().order_by("name")
    if q:
        people = people.filter(Q(name__unaccent__icontains=q) | Q(aliases__icontains=[q]))
    return SerializedPage(people, lambda p: person_out(request, p))


@api.get("/speakers/{slug}", response={200: PersonOut, 404: ErrorOut}, tags=["speakers"])
def get_speaker(request, slug: str):
    person = _people().filter(slug=slug).first()
    if person is None:
        moved = get_object_or_404(PersonRedirect, old_slug=slug)  # merged by an editor
        person = _people().get(pk=moved.person_id)
    return person_out(request, person)


def event_out(request, event: Event) -> dict:
    return {
        "name": event.name,
        "slug": event.slug,
        "url": absolute(request, event.get_absolute_url()),
        "kind": event.kind,
        "date": event.date,
        "place": event.place,
        "organiser": event.organiser,
        "reviews_year": event.reviews_year,
        "articles": sorted(a.pk for a in event.articles.all()),
    }


@api.get("/events", response=list[EventOut], tags=["events"])
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_events(request, year: Year | None = None, kind: str | None = None):
    events = Event.objects.prefetch_related("articles").order_by(F("date").desc(nulls_last=True), "pk")
    if year:
        events = events.filter(date__year=year)
    if kind:
        events = events.filter(kind=kind)
    return SerializedPage(events, lambda e: event_out(request, e))


@api.get("/events/{slug}", response={200: EventOut, 404: ErrorOut}, tags=["events"])
def get_event(request, slug: str):
    return event_out(request, get_object_or_404(Event.objects.prefetch_related("articles"), slug=slug))


@api.get("/years", response=list[YearOut], tags=["years"])
def list_years(request):
    """Every year with dated records, and how many articles, events and quotes it holds."""
    return [
        {name: row[name] for name in ("year", "articles", "events", "quotes")} for row in overview.current()["years"]
    ]
