"""Links that change part of the current page's query string (pages, years, months, facets)."""

import datetime as dt
from urllib.parse import urlencode

from django.http import QueryDict


def year_in(value: str) -> int | None:
    """`value` as a year a date can hold (1 to 9999), or None: a year outside them is no page,
    never a query that fails (``date__year=0`` raises inside Django)."""
    if value.isdecimal() and len(value) <= 4 and int(value) >= dt.MINYEAR:
        return int(value)
    return None


def with_params(query: QueryDict, **changes) -> str:
    """`query` with `changes` applied (None drops a parameter), as "?…"; the other parameters are kept."""
    query = query.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value is not None:
            query[name] = value
    return f"?{query.urlencode()}" if query else "?"


def toggled(query: QueryDict, name: str, value: str) -> str:
    """`query` with `name=value` switched on or off among the values of `name`, back to page 1, as "?…".

    Encoded from the pairs, as QueryDict.urlencode does: a search page links about fifty facet values,
    and copying the QueryDict for each one is a deep copy."""
    selected = query.getlist(name)
    chosen = [v for v in selected if v != value] if value in selected else [*selected, value]
    pairs = [(key, v) for key, values in query.lists() if key != "page" for v in (chosen if key == name else values)]
    if name not in query:
        pairs += [(name, v) for v in chosen]
    return f"?{urlencode(pairs)}"
