"""Facet counts of a search (year, speaker, event, source), in one statement over the matches.

Each facet counts its values with every filter applied except its own (so a
user filtering by one speaker still sees the others), which means counting
over more than the filtered matches. The matches' facet values (year,
speakers, event, sources) are read once into a materialised CTE, and one
statement returns the filtered count, the unfiltered count and the top values
of every facet. Counting each facet with its own statement read the matches
once per facet: for a phrase of common syllables at a million articles, five
passes over 9,000 sampled rows whose phrase test reads each row's vector
(2.0 s for "chuyển đổi"; one pass 0.3–0.6 s). Counting in Python instead sent
10,000 rows to the client for a common word (60 ms of the page).
"""

import datetime
import functools
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

from archive.routers import read_alias
from articles import planner
from articles.models import Article, ArticleSample, Event, Person, QuoteSample, Source

FACET_SIZE = 12
LABEL_MODELS = {"speaker": Person, "event": Event, "source": Source}


@dataclass
class Facet:
    name: str
    values: list[dict]  # {"value", "label", "count", "selected"}


@dataclass
class FacetCounts:
    matches: int  # with every filter
    unfiltered: int  # without any
    counted: dict[str, dict]  # {facet name: {value id or year: count}}
    selection: "Selection"
    nth_newest_date: datetime.date | None = None  # of the filtered matches, when asked for and there are n dated

    @functools.cached_property
    def facets(self) -> dict[str, Facet]:
        """The counts with their values' names and links, looked up when asked for: the sample's are
        not shown when every match is counted too."""
        facets = {"year": _year_facet(self.counted["year"], self.selection.params)}
        shown = {name: _shown_values(name, self.counted[name], self.selection) for name in VALUES}
        labels = _labels({name: [*top, *extra] for name, (top, extra) in shown.items()})
        for name, (top, extra) in shown.items():
            facets[name] = _value_facet(name, top, extra, labels[name], self.selection)
        return facets


class Selection:
    """The page's filters as conditions on a CTE row (`y`, `speakers`, `event`, `sources`), one per
    facet, and the ids of the values the user selected."""

    def __init__(self, params):
        self.params = params
        self.selected: dict[str, dict[str, int]] = {
            # Not even built when nothing is chosen: compiling a query costs as much as running a small one.
            name: dict(LABEL_MODELS[name].objects.filter(slug__in=slugs).values_list("slug", "pk")) if slugs else {}
            for name, slugs in params.chosen_slugs.items()
        }
        self.conditions: dict[str, tuple[str, list]] = {}
        if params.years or params.unknown_year:
            self.conditions["year"] = ("(m.y = ANY(%s) OR (%s AND m.y IS NULL))", [params.years, params.unknown_year])
        if params.speakers:
            self.conditions["speaker"] = ("m.speakers && %s::bigint[]", [self.ids("speaker")])
        if params.events:
            self.conditions["event"] = ("m.event = ANY(%s)", [self.ids("event")])
        if params.sources:
            self.conditions["source"] = ("m.sources && %s::bigint[]", [self.ids("source")])

    def ids(self, name: str) -> list[int]:
        return list(self.selected[name].values())

    def where(self, *, without: str | None = None) -> tuple[str, list]:
        parts = [(sql, params) for name, (sql, params) in self.conditions.items() if name != without]
        return " AND ".join(sql for sql, _ in parts) or "TRUE", [p for _, params in parts for p in params]


def _rows_sql(model, matches: QuerySet) -> tuple[str, list]:
    """The matches as (d, y, speakers, event, sources) rows; all arrays bigint[]."""
    if model is Article:  # the articles' table or their sample's
        inner, params = (
            matches.order_by().values_list("date", "speaker_ids", "event_id", "source_id").query.sql_with_params()
        )
        speakers = "i.speaker_ids"
        sources = "CASE WHEN i.source_id IS NULL THEN '{}'::bigint[] ELSE ARRAY[i.source_id::bigint] END"
    else:
        kept = "source_ids" if matches.model is QuoteSample else "id"
        inner, params = matches.order_by().values_list(kept, "date", "person_id", "event_id").query.sql_with_params()
        speakers = "CASE WHEN i.person_id IS NULL THEN '{}'::bigint[] ELSE ARRAY[i.person_id::bigint] END"
        # A quote's sources are those of the articles carrying it (kept in its sample row).
        sources = (
            "i.source_ids"
            if matches.model is QuoteSample
            else "ARRAY(SELECT DISTINCT a.source_id::bigint FROM articles_quoteoccurrence o "
            "JOIN articles_article a ON a.id = o.article_id WHERE o.quote_id = i.id AND a.source_id IS NOT NULL)"
        )
    sql = (
        f"SELECT i.date AS d, EXTRACT(YEAR FROM i.date)::bigint AS y, {speakers} AS speakers, "
        f"i.event_id::bigint AS event, "
        f"{sources} AS sources FROM ({inner}) i"
    )
    return sql, list(params)


@contextmanager
def sample_index_scans(model):
    """Statements on a sample table read it through its text indexes. The table is small,
    so the planner prefers reading all of it, not counting that testing a word on a row reads the
    row's vector out of TOAST (50 ms against 5 for a common word at a million articles)."""
    if model not in (ArticleSample, QuoteSample):
        yield
        return
    with planner.without("seqscan"):
        yield


# Each value facet's values of a CTE row `m`. The arrays are unnested in the select list: as a
# function scan joined to each row, unnesting 9,300 sampled articles' speakers took 11 ms, against 4.
VALUES = {
    "speaker": "unnest(m.speakers)",
    "event": "m.event",
    "source": "unnest(m.sources)",
}
# An article has one source: its one-element array read without a set-returning function per row.
ARTICLE_VALUES = {**VALUES, "source": "m.sources[1]"}


def count_facets(
    model, matches: QuerySet, selection: Selection, *, nth_newest: int = 0, values: bool = True
) -> FacetCounts:
    """The counts, and with `nth_newest` the date of the nth newest filtered match. Without `values`,
    only the filtered and unfiltered counts and the years (what a search needs to choose how to rank;
    the speakers', events' and sources' counts are most of the statement's work)."""
    rows, cte_params = _rows_sql(model, matches)  # the CTEs' parameters, in their order
    ctes = [f"m AS MATERIALIZED ({rows})"]
    params: list = []  # the branches'
    branches: list[str] = []
    kept = {"TRUE": "m"}

    def matches_under(without: str | None = None) -> str:
        """The CTE of the rows under every filter but `without`'s. Each set of rows is kept once, for
        every branch that counts it: filtering the matches again in each branch (one speaker among
        6,000 sampled matches of a phrase, five times) was a third of the statement."""
        where, where_params = selection.where(without=without)
        if where not in kept:
            kept[where] = f"m{len(kept)}"
            ctes.append(f"{kept[where]} AS MATERIALIZED (SELECT * FROM m WHERE {where})")
            cte_params.extend(where_params)
        return f"{kept[where]} m"

    branches.append(f"SELECT 'matches', NULL::bigint, count(*) FROM {matches_under()}")
    if nth_newest:
        # The date as a day number, to share the branches' columns.
        branches.append(
            f"(SELECT 'nth newest', m.d - DATE '2000-01-01', NULL FROM {matches_under()} WHERE m.d IS NOT NULL "
            f"ORDER BY m.d DESC OFFSET {int(nth_newest) - 1} LIMIT 1)"
        )
    branches.append("SELECT 'unfiltered', NULL::bigint, count(*) FROM m")
    branches.append(f"(SELECT 'year', m.y, count(*) FROM {matches_under('year')} GROUP BY m.y)")
    for name, value in (ARTICLE_VALUES if model is Article else VALUES).items() if values else ():
        per_value = f"SELECT {value} AS value FROM {matches_under(name)}"
        if not selection.ids(name):
            branches.append(
                f"(SELECT '{name}', v.value, count(*) FROM ({per_value}) v WHERE v.value IS NOT NULL "
                f"GROUP BY v.value ORDER BY 3 DESC, 2 DESC LIMIT {FACET_SIZE})"
            )
            continue
        # Selected values outside the top ones still show, with their counts: both read from one
        # grouping of the values (a second pass over 9,700 sampled rows' speakers cost 7 ms).
        ctes.append(
            f"{name}_counts AS MATERIALIZED (SELECT v.value, count(*) AS n FROM ({per_value}) v "
            "WHERE v.value IS NOT NULL GROUP BY v.value)"
        )
        branches.append(f"(SELECT '{name}', value, n FROM {name}_counts ORDER BY 3 DESC, 2 DESC LIMIT {FACET_SIZE})")
        branches.append(f"(SELECT '{name}', value, n FROM {name}_counts WHERE value = ANY(%s))")
        params.append(selection.ids(name))
    sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(branches)
    params = cte_params + params
    with sample_index_scans(matches.model), connections[read_alias()].cursor() as cursor:  # raw SQL: no router
        cursor.execute(sql, params)
        results = cursor.fetchall()

    totals = {kind: count for kind, _, count in results if kind in ("matches", "unfiltered")}
    days = [value for kind, value, _ in results if kind == "nth newest"]
    nth_newest_date = datetime.date(2000, 1, 1) + datetime.timedelta(days=days[0]) if days else None
    counted: dict[str, dict] = {name: {} for name in ("year", *VALUES)}
    for kind, value, count in results:
        if kind in counted:
            counted[kind][value] = count
    return FacetCounts(totals["matches"], totals["unfiltered"], counted, selection, nth_newest_date)


def scaled(facets: dict[str, Facet], factor: int) -> dict[str, Facet]:
    """Counts from a sample, multiplied up and marked approximate."""
    for facet in facets.values():
        for value in facet.values:
            value["count"] *= factor
            value["approximate"] = True
    return facets


def _year_facet(counts: dict, params) -> Facet:
    # Undated first, then newest.
    ordered = sorted(counts.items(), key=lambda item: (item[0] is not None, -(item[0] or 0)))
    return Facet(
        "year",
        [
            {
                "value": year if year is not None else "unknown",
                "label": str(year) if year is not None else "?",
                "count": count,
                "selected": (year in params.years) if year is not None else params.unknown_year,
            }
            for year, count in ordered
        ],
    )


def _shown_values(name: str, counts: dict, selection: Selection) -> tuple[dict, dict]:
    """The most frequent values (most first, ties by id), and selected values outside them."""
    top = dict(sorted(counts.items(), key=lambda item: (-item[1], -item[0]))[:FACET_SIZE])
    extra = {pk: counts[pk] for pk in selection.ids(name) if pk not in top and pk in counts}
    return top, extra


def _labels(ids: dict[str, list[int]]) -> dict[str, dict[int, tuple[str, str]]]:
    """{facet: {id: (slug, name)}} of the values shown, in one statement for the three tables."""
    labels: dict[str, dict] = {name: {} for name in ids}
    wanted = [(name, pks) for name, pks in ids.items() if pks]
    if not wanted:
        return labels
    branches = [
        f"SELECT %s, id, slug, name FROM {LABEL_MODELS[name]._meta.db_table} WHERE id = ANY(%s)" for name, _ in wanted
    ]
    with connections[read_alias()].cursor() as cursor:  # raw SQL: no router sees it
        cursor.execute(" UNION ALL ".join(branches), [value for name, pks in wanted for value in (name, pks)])
        for name, pk, slug, label in cursor.fetchall():
            labels[name][pk] = (slug, label)
    return labels


def _value_facet(name: str, top: dict, extra: dict, labels: dict, selection: Selection) -> Facet:
    chosen = set(selection.selected[name])

    def shown(counted: dict) -> list[dict]:
        values = [
            {"value": labels[pk][0], "label": labels[pk][1], "count": count, "selected": labels[pk][0] in chosen}
            for pk, count in counted.items()
            if pk in labels
        ]
        return sorted(values, key=lambda v: (-v["count"], v["label"]))

    return Facet(name, shown(top) + shown(extra))
